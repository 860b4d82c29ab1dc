-- One row per running ledger node (multi-node on one PostgreSQL, no Axon Server). Each node refreshes
-- last_seen every few seconds in a short transaction; a node seen within the token claim timeout is live.
-- The number of live nodes bounds how many segments of each processor one node may claim.
CREATE TABLE ledger_node (
    node_id    VARCHAR(255) NOT NULL,
    started_at TIMESTAMPTZ  NOT NULL DEFAULT now(),
    last_seen  TIMESTAMPTZ  NOT NULL DEFAULT now(),
    CONSTRAINT ledger_node_pk PRIMARY KEY (node_id)
);
