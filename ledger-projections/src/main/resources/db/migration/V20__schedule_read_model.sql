-- Read model "schedule": its own copy of the patient events it derives views from. The primary key makes a
-- redelivered event a no-op (idempotent handling); the reset handler empties the table before a replay.
CREATE TABLE schedule_event (
    patient_id      VARCHAR(255) NOT NULL,
    sequence_number BIGINT       NOT NULL,
    entry_id        VARCHAR(255) NOT NULL,
    event_type      VARCHAR(64)  NOT NULL,
    occurred_at     TIMESTAMPTZ  NOT NULL,
    recorded_at     TIMESTAMPTZ  NOT NULL,
    recorded_by     VARCHAR(255),
    payload         JSONB        NOT NULL,
    PRIMARY KEY (patient_id, sequence_number)
);
