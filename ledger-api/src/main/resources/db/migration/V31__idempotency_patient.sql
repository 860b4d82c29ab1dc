-- Erasure (issue 18) deletes a patient's stored Idempotency-Key responses: each row names its patient, from the
-- request's path or, for a registration, from the Location it answered with.
ALTER TABLE idempotency_key ADD COLUMN patient_id TEXT;
CREATE INDEX idempotency_key_patient_idx ON idempotency_key (patient_id) WHERE patient_id IS NOT NULL;
