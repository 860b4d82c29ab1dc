-- Erasure by crypto-shredding (issue 18): one data key per patient, wrapped (AES-256-GCM) by a key-encryption key
-- (KEK) that lives outside the database. Erasure deletes the key material (wrapped_key and kek_id become NULL,
-- destroyed_at is set): the row stays as the record that the key existed and when it was destroyed.
-- Keep this table's backups apart from the event store's: see docs/ERASURE.md, "Keys and backups".
CREATE TABLE ledger_data_key (
    -- The key id: the data subject's id (the patient id), which every ciphertext envelope names.
    key_id        TEXT         PRIMARY KEY,
    -- Which KEK wrapped it (the first 8 bytes of the KEK's SHA-256, hex); rotation rewraps rows of other KEKs.
    kek_id        TEXT,
    wrapped_key   BYTEA,
    created_at    TIMESTAMPTZ  NOT NULL DEFAULT now(),
    destroyed_at  TIMESTAMPTZ,
    CONSTRAINT ledger_data_key_destroyed_ck CHECK (
        (destroyed_at IS NULL AND wrapped_key IS NOT NULL AND kek_id IS NOT NULL)
        OR (destroyed_at IS NOT NULL AND wrapped_key IS NULL AND kek_id IS NULL))
);
CREATE INDEX ledger_data_key_kek ON ledger_data_key (kek_id);

-- Reads run as ledger_reader (V28) and decrypt what they read: they look keys up in the same transaction.
GRANT SELECT ON ledger_data_key TO ledger_reader;
