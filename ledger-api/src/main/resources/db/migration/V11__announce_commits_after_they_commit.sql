-- Commits are announced to the other nodes by the committing node after they committed
-- (consistency.PostgresCommitAnnouncer), no longer by a NOTIFY inside every command's transaction: at commit a
-- NOTIFY takes a database-wide lock and wakes every listener, the committing node's own included, and it halved
-- a single writer's throughput (ledger-bench W1).
DROP TRIGGER domainevententry_notify ON domainevententry;
DROP FUNCTION ledger_notify_events();
