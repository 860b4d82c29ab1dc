-- Idempotency-Key handling for writes. Insert-first: the primary key makes a concurrent duplicate lose the
-- race instead of recording twice. A row stays IN_PROGRESS until the first response is stored.
CREATE TABLE idempotency_key (
    username      VARCHAR(255)  NOT NULL,
    idem_key      VARCHAR(255)  NOT NULL,
    request_hash  CHAR(64)      NOT NULL,
    state         VARCHAR(16)   NOT NULL,
    status        INTEGER,
    content_type  VARCHAR(255),
    location      VARCHAR(2048),
    body          BYTEA,
    created_at    TIMESTAMPTZ   NOT NULL DEFAULT now(),
    completed_at  TIMESTAMPTZ,
    CONSTRAINT idempotency_key_pk PRIMARY KEY (username, idem_key),
    CONSTRAINT idempotency_key_state_ck CHECK (state IN ('IN_PROGRESS', 'COMPLETED'))
);

CREATE INDEX idempotency_key_created_idx ON idempotency_key (created_at);
