-- Row-level security on the read models by clinic (issue 15), as a second line behind the service's own clinic
-- checks. docs/OPERATIONS.md ("Clinics and the database role") says how production connects.
--
-- * patient_clinic maps each patient to its clinic; a trigger fills it from the registration rows of the read
--   side's copy of the events (ledger_event), so no projection changes and a replay or bulk copy fills it again.
-- * Every protected table shows a row only when the transaction's setting ledger.clinics (SET LOCAL, a
--   comma-separated list) names the row's clinic, or is '*' (every clinic: set by the read models' processor for
--   its writes). A query that forgot the setting sees no rows. FORCE applies it to the tables' owner too; only a
--   superuser or a BYPASSRLS role escapes it.
-- * Reads run as ledger_reader (SET LOCAL ROLE), which may only SELECT.
-- ledger_protect_read_models() applies all of it and is idempotent: a bulk rebuild swaps in a new ledger_event
-- table (CREATE TABLE ... LIKE copies no policy or trigger), and the service calls it again afterwards and at start.

DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'ledger_reader') THEN
        CREATE ROLE ledger_reader NOLOGIN NOSUPERUSER NOBYPASSRLS;
    END IF;
END $$;

CREATE TABLE patient_clinic (
    patient_id TEXT PRIMARY KEY,
    clinic_id  TEXT NOT NULL
);

-- The registration's clinic, from the stored payload (the event's JSON as bytes). A registration without one
-- (none is stored so; a hand-made row) gives the patient no clinic: its rows stay invisible to every clinic.
CREATE FUNCTION ledger_note_patient_clinic() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    clinic text := convert_from(NEW.payload, 'UTF8')::jsonb ->> 'clinicId';
BEGIN
    IF clinic IS NOT NULL THEN
        INSERT INTO patient_clinic (patient_id, clinic_id) VALUES (NEW.patient_id, clinic)
        ON CONFLICT (patient_id) DO NOTHING;
    END IF;
    RETURN NEW;
END $$;

CREATE FUNCTION ledger_protect_read_models() RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    visible CONSTANT text := 'current_setting(''ledger.clinics'', true) = ''*'' OR EXISTS (SELECT 1 FROM patient_clinic pc '
        || 'WHERE pc.patient_id = %I.patient_id AND pc.clinic_id = ANY (string_to_array(current_setting(''ledger.clinics'', true), '','')))';
    t text;
BEGIN
    -- The backfill below writes every clinic's rows (also when the owner runs this, FORCE applies to it).
    PERFORM set_config('ledger.clinics', '*', true);
    IF NOT EXISTS (SELECT 1 FROM pg_trigger WHERE tgname = 'ledger_event_patient_clinic'
                   AND tgrelid = 'ledger_event'::regclass) THEN
        CREATE TRIGGER ledger_event_patient_clinic AFTER INSERT ON ledger_event FOR EACH ROW
            WHEN (NEW.event_type = 'PatientRegistered') EXECUTE FUNCTION ledger_note_patient_clinic();
        -- A table swapped in by a bulk rebuild was filled without the trigger.
        INSERT INTO patient_clinic (patient_id, clinic_id)
        SELECT patient_id, convert_from(payload, 'UTF8')::jsonb ->> 'clinicId' FROM ledger_event
        WHERE event_type = 'PatientRegistered' AND convert_from(payload, 'UTF8')::jsonb ->> 'clinicId' IS NOT NULL
        ON CONFLICT (patient_id) DO NOTHING;
    END IF;
    FOREACH t IN ARRAY ARRAY['ledger_event', 'durability_cycle', 'lot_administration'] LOOP
        EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
        EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
        IF NOT EXISTS (SELECT 1 FROM pg_policy WHERE polname = 'by_clinic' AND polrelid = t::regclass) THEN
            EXECUTE format('CREATE POLICY by_clinic ON %I USING (' || visible || ') WITH CHECK (' || visible || ')', t, t, t);
        END IF;
        EXECUTE format('GRANT SELECT ON %I TO ledger_reader', t);
    END LOOP;
    ALTER TABLE patient_clinic ENABLE ROW LEVEL SECURITY;
    ALTER TABLE patient_clinic FORCE ROW LEVEL SECURITY;
    IF NOT EXISTS (SELECT 1 FROM pg_policy WHERE polname = 'by_clinic' AND polrelid = 'patient_clinic'::regclass) THEN
        CREATE POLICY by_clinic ON patient_clinic
            USING (current_setting('ledger.clinics', true) = '*'
                   OR clinic_id = ANY (string_to_array(current_setting('ledger.clinics', true), ',')))
            WITH CHECK (current_setting('ledger.clinics', true) = '*'
                   OR clinic_id = ANY (string_to_array(current_setting('ledger.clinics', true), ',')));
    END IF;
    GRANT SELECT ON patient_clinic TO ledger_reader;
END $$;

SELECT ledger_protect_read_models();
