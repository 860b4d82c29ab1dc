-- Wakes the read models of every node when events are committed: PostgreSQL delivers a NOTIFY to the
-- listeners (consistency.PostgresCommitListener) when the inserting transaction commits, never if it rolls
-- back. One notification per statement, not per row; notifications of one transaction are merged into one.
-- A wake-up only: the processors still poll, so nothing depends on a notification arriving.
CREATE FUNCTION ledger_notify_events() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('ledger_events', '');
    RETURN NULL;
END;
$$;

CREATE TRIGGER domainevententry_notify
    AFTER INSERT ON domainevententry
    FOR EACH STATEMENT EXECUTE FUNCTION ledger_notify_events();
