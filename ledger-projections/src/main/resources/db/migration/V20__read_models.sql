-- The read models' tables (V20 to V26 of the pre-release builds, squashed: those created a copy of the events per
-- read model, then kept one). V27 then turns the payload into the stored bytes.

-- One copy of the patient events for all read models. The primary key makes a redelivered event a no-op
-- (idempotent handling); the reset handler empties the table before a replay.
CREATE TABLE ledger_event (
    patient_id      VARCHAR(255) NOT NULL,
    sequence_number BIGINT       NOT NULL,
    entry_id        VARCHAR(255) NOT NULL,
    event_type      VARCHAR(64)  NOT NULL,
    occurred_at     TIMESTAMPTZ  NOT NULL,
    recorded_at     TIMESTAMPTZ  NOT NULL,
    recorded_by     VARCHAR(255),
    payload         JSONB        NOT NULL,
    CONSTRAINT ledger_event_pkey PRIMARY KEY (patient_id, sequence_number)
);

-- Durability: one row per observed cycle (CycleFact), recomputed for a patient whenever one of its events arrives.
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

-- Lot recall: one row per counting administration, recomputed for a patient whenever one of its events arrives.
CREATE TABLE lot_administration (
    patient_id  VARCHAR(255) NOT NULL,
    entry_id    VARCHAR(255) NOT NULL,
    lot_number  VARCHAR(255) NOT NULL,
    occurred_at TIMESTAMPTZ  NOT NULL,
    payload     JSONB        NOT NULL,
    PRIMARY KEY (patient_id, entry_id)
);
CREATE INDEX lot_administration_lot ON lot_administration (lot_number, occurred_at);
