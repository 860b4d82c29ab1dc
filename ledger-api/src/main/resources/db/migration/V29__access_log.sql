-- The access audit (issue 15): one row per request that read or wrote one patient's data, refused ones included.
-- Text without a length: a request for a made-up patient id of any length is still recorded. Append-only like the integrity tables (V12): triggers refuse UPDATE, DELETE and TRUNCATE, also to the owner.
CREATE TABLE access_log (
    id             BIGSERIAL    PRIMARY KEY,
    at             TIMESTAMPTZ  NOT NULL,
    user_name      TEXT NOT NULL,
    role           TEXT,
    -- The patient's clinic; null when no such patient exists (or a refused registration).
    clinic_id      TEXT,
    -- The caller's clinics: the caller's own auditors see the caller's requests, whether or not the patient
    -- exists (another clinic's patient answers as an unknown one, and so does its record).
    caller_clinics TEXT[] NOT NULL,
    patient_id     TEXT,
    action         TEXT  NOT NULL,
    resource       TEXT NOT NULL,
    status         INT          NOT NULL,
    purpose        TEXT  NOT NULL
);
CREATE INDEX access_log_patient ON access_log (patient_id, id);
CREATE INDEX access_log_clinic ON access_log (clinic_id, id);
CREATE INDEX access_log_caller_clinics ON access_log USING gin (caller_clinics);
CREATE INDEX access_log_user ON access_log (user_name, id);

CREATE FUNCTION ledger_access_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'the table % only grows: % is not allowed', TG_TABLE_NAME, TG_OP
        USING ERRCODE = 'insufficient_privilege';
END $$;

CREATE TRIGGER access_log_append_only BEFORE UPDATE OR DELETE ON access_log
    FOR EACH ROW EXECUTE FUNCTION ledger_access_log_append_only();
CREATE TRIGGER access_log_no_truncate BEFORE TRUNCATE ON access_log
    FOR EACH STATEMENT EXECUTE FUNCTION ledger_access_log_append_only();
