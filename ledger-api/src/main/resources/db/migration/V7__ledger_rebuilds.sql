-- Cluster-wide read-model rebuilds. A request is PENDING while every node stops its processor for the group
-- and acknowledges; the initiating node then resets the tokens (RUNNING) and every node restarts the
-- processor. FAILED: the request timed out or its initiator died; processors restart without a reset.
CREATE TABLE ledger_rebuild (
    id               BIGSERIAL    NOT NULL,
    processing_group VARCHAR(64)  NOT NULL,
    requested_at     TIMESTAMPTZ  NOT NULL DEFAULT now(),
    requested_by     VARCHAR(255) NOT NULL,
    initiator_node   VARCHAR(255) NOT NULL,
    state            VARCHAR(16)  NOT NULL,
    updated_at       TIMESTAMPTZ  NOT NULL DEFAULT now(),
    detail           VARCHAR(1024),
    CONSTRAINT ledger_rebuild_pk PRIMARY KEY (id),
    CONSTRAINT ledger_rebuild_state_ck CHECK (state IN ('PENDING', 'RUNNING', 'FAILED'))
);

-- At most one pending request per read model, whichever node receives it.
CREATE UNIQUE INDEX ledger_rebuild_one_pending ON ledger_rebuild (processing_group) WHERE state = 'PENDING';

-- A node's acknowledgement: its processor for the group is shut down (all its claims released).
CREATE TABLE ledger_rebuild_ack (
    rebuild_id      BIGINT       NOT NULL REFERENCES ledger_rebuild (id) ON DELETE CASCADE,
    node_id         VARCHAR(255) NOT NULL,
    acknowledged_at TIMESTAMPTZ  NOT NULL DEFAULT now(),
    CONSTRAINT ledger_rebuild_ack_pk PRIMARY KEY (rebuild_id, node_id)
);
