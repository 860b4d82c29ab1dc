-- The access log's own tamper-evident tree (issue 15; docs/INTEGRITY.md, "Access records"): one leaf per access
-- record (AccessRecordLeaf, version 2) in access_log id order, the tree's complete subtrees and its signed
-- checkpoints, with the same columns as the event log's tables (V12) so that one code (api.integrity.MerkleLog)
-- serves both. All three only grow: the V12 trigger function refuses UPDATE, DELETE and TRUNCATE.

-- patient_key is the record's patient id, or '' for a record without one; patient_sequence is the record's
-- position among its patient's records (from 0), so a patient's access log is one chain that shows a record left out.
CREATE TABLE access_leaf (
    leaf_index       BIGINT NOT NULL,
    record_id        BIGINT NOT NULL,
    patient_key      TEXT   NOT NULL,
    patient_sequence BIGINT NOT NULL,
    leaf             BYTEA  NOT NULL,
    leaf_hash        BYTEA  NOT NULL,
    CONSTRAINT access_leaf_pk PRIMARY KEY (leaf_index),
    CONSTRAINT access_leaf_record_uk UNIQUE (record_id),
    CONSTRAINT access_leaf_patient_seq_uk UNIQUE (patient_key, patient_sequence),
    CONSTRAINT access_leaf_hash_size CHECK (octet_length(leaf_hash) = 32)
);

CREATE TABLE access_tree_node (
    level      SMALLINT NOT NULL,
    node_index BIGINT   NOT NULL,
    hash       BYTEA    NOT NULL,
    CONSTRAINT access_tree_node_pk PRIMARY KEY (level, node_index),
    CONSTRAINT access_tree_node_hash_size CHECK (octet_length(hash) = 32)
);

CREATE TABLE access_checkpoint (
    tree_size  BIGINT       NOT NULL,
    root_hash  BYTEA        NOT NULL,
    origin     VARCHAR(255) NOT NULL,
    note       TEXT         NOT NULL,
    key_id     VARCHAR(8)   NOT NULL,
    public_key BYTEA        NOT NULL,
    issued_at  TIMESTAMPTZ  NOT NULL DEFAULT now(),
    CONSTRAINT access_checkpoint_pk PRIMARY KEY (tree_size),
    CONSTRAINT access_checkpoint_root_size CHECK (octet_length(root_hash) = 32)
);

CREATE TRIGGER access_leaf_append_only BEFORE UPDATE OR DELETE ON access_leaf
    FOR EACH ROW EXECUTE FUNCTION ledger_integrity_append_only();
CREATE TRIGGER access_leaf_no_truncate BEFORE TRUNCATE ON access_leaf
    FOR EACH STATEMENT EXECUTE FUNCTION ledger_integrity_append_only();
CREATE TRIGGER access_tree_node_append_only BEFORE UPDATE OR DELETE ON access_tree_node
    FOR EACH ROW EXECUTE FUNCTION ledger_integrity_append_only();
CREATE TRIGGER access_tree_node_no_truncate BEFORE TRUNCATE ON access_tree_node
    FOR EACH STATEMENT EXECUTE FUNCTION ledger_integrity_append_only();
CREATE TRIGGER access_checkpoint_append_only BEFORE UPDATE OR DELETE ON access_checkpoint
    FOR EACH ROW EXECUTE FUNCTION ledger_integrity_append_only();
CREATE TRIGGER access_checkpoint_no_truncate BEFORE TRUNCATE ON access_checkpoint
    FOR EACH STATEMENT EXECUTE FUNCTION ledger_integrity_append_only();
