-- Read model "durability": its own copy of the patient events it derives views from. The primary key makes a
-- redelivered event a no-op (idempotent handling); the reset handler empties the table before a replay.
CREATE TABLE durability_event (
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

-- One row per observed cycle (CycleFact), recomputed for a patient whenever one of its events arrives.
CREATE TABLE durability_cycle (
    patient_id         VARCHAR(255) NOT NULL,
    cycle_number       INT          NOT NULL,
    product            VARCHAR(64),
    intent             VARCHAR(64),
    dose_band          VARCHAR(64)  NOT NULL,
    laser_co_treatment BOOLEAN      NOT NULL,
    duration_days      INT          NOT NULL,
    observed_by        VARCHAR(32)  NOT NULL,
    sites              JSONB        NOT NULL,
    PRIMARY KEY (patient_id, cycle_number)
);
