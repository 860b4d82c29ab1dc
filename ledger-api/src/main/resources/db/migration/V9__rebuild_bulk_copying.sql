-- A rebuild on the JDBC event store fills the read models in bulk before the processors restart: the request is
-- COPYING meanwhile. Every node keeps its processor stopped while a request is PENDING or COPYING, and a
-- second request is refused in both states.
ALTER TABLE ledger_rebuild DROP CONSTRAINT ledger_rebuild_state_ck;
ALTER TABLE ledger_rebuild ADD CONSTRAINT ledger_rebuild_state_ck
    CHECK (state IN ('PENDING', 'COPYING', 'RUNNING', 'FAILED'));
DROP INDEX ledger_rebuild_one_pending;
CREATE UNIQUE INDEX ledger_rebuild_one_pending ON ledger_rebuild (processing_group) WHERE state IN ('PENDING', 'COPYING');
