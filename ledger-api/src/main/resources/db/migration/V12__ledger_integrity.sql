-- The tamper-evident log (api.integrity, docs/INTEGRITY.md): one leaf per stored event, the RFC 9162 tree's
-- complete subtrees, and every signed checkpoint. All three tables only grow: the triggers refuse UPDATE,
-- DELETE and TRUNCATE, so that no code path of the service and no careless statement rewrites them. (A
-- superuser can still switch triggers off; that is what the signed checkpoints and outside witnesses are for.)

-- One row per leaf, in the ledger's append order (leaf_index 0, 1, 2, ...). global_index names the event
-- (domainevententry.globalindex) it was made from; leaf holds the leaf bytes (PatientEventLeaf v1) and
-- leaf_hash SHA-256(0x00 || leaf), the next leaf of the same patient's previous-leaf value.
CREATE TABLE ledger_leaf (
    leaf_index      BIGINT       NOT NULL,
    global_index    BIGINT       NOT NULL,
    patient_id      VARCHAR(255) NOT NULL,
    sequence_number BIGINT       NOT NULL,
    leaf            BYTEA        NOT NULL,
    leaf_hash       BYTEA        NOT NULL,
    CONSTRAINT ledger_leaf_pk PRIMARY KEY (leaf_index),
    CONSTRAINT ledger_leaf_global_index_uk UNIQUE (global_index),
    CONSTRAINT ledger_leaf_patient_seq_uk UNIQUE (patient_id, sequence_number),
    CONSTRAINT ledger_leaf_hash_size CHECK (octet_length(leaf_hash) = 32)
);

-- The hash of every complete subtree: node (level, node_index) covers the leaves node_index * 2^level to
-- (node_index + 1) * 2^level - 1; level 0 are the leaf hashes. A proof reads at most 2 * ceil(log2 n) rows.
CREATE TABLE ledger_tree_node (
    level      SMALLINT NOT NULL,
    node_index BIGINT   NOT NULL,
    hash       BYTEA    NOT NULL,
    CONSTRAINT ledger_tree_node_pk PRIMARY KEY (level, node_index),
    CONSTRAINT ledger_tree_node_hash_size CHECK (octet_length(hash) = 32)
);

-- Every checkpoint issued: the signed note as served (origin, size and root lines, signatures), and the key
-- that signed it (key_id as 8 hex digits, public_key its raw 32 bytes), so that old checkpoints stay checkable
-- after a key rotation.
CREATE TABLE ledger_checkpoint (
    tree_size  BIGINT       NOT NULL,
    root_hash  BYTEA        NOT NULL,
    origin     VARCHAR(255) NOT NULL,
    note       TEXT         NOT NULL,
    key_id     VARCHAR(8)   NOT NULL,
    public_key BYTEA        NOT NULL,
    issued_at  TIMESTAMPTZ  NOT NULL DEFAULT now(),
    CONSTRAINT ledger_checkpoint_pk PRIMARY KEY (tree_size),
    CONSTRAINT ledger_checkpoint_root_size CHECK (octet_length(root_hash) = 32)
);

CREATE FUNCTION ledger_integrity_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'the table % only grows: % is not allowed', TG_TABLE_NAME, TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$;

CREATE TRIGGER ledger_leaf_append_only BEFORE UPDATE OR DELETE ON ledger_leaf
    FOR EACH ROW EXECUTE FUNCTION ledger_integrity_append_only();
CREATE TRIGGER ledger_leaf_no_truncate BEFORE TRUNCATE ON ledger_leaf
    FOR EACH STATEMENT EXECUTE FUNCTION ledger_integrity_append_only();
CREATE TRIGGER ledger_tree_node_append_only BEFORE UPDATE OR DELETE ON ledger_tree_node
    FOR EACH ROW EXECUTE FUNCTION ledger_integrity_append_only();
CREATE TRIGGER ledger_tree_node_no_truncate BEFORE TRUNCATE ON ledger_tree_node
    FOR EACH STATEMENT EXECUTE FUNCTION ledger_integrity_append_only();
CREATE TRIGGER ledger_checkpoint_append_only BEFORE UPDATE OR DELETE ON ledger_checkpoint
    FOR EACH ROW EXECUTE FUNCTION ledger_integrity_append_only();
CREATE TRIGGER ledger_checkpoint_no_truncate BEFORE TRUNCATE ON ledger_checkpoint
    FOR EACH STATEMENT EXECUTE FUNCTION ledger_integrity_append_only();
