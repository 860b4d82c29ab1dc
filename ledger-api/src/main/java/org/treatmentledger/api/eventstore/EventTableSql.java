package org.treatmentledger.api.eventstore;

/**
 * The SQL text on Axon's event table ({@code domainevententry}, V1) that the tamper-evident log runs, kept beside
 * {@link AxonTables} so that the event table's and its columns' names appear in this package only. Text, not
 * queries: the log runs some of it on connections of its own (the whole-store check reads the events in an exported
 * snapshot with binary bytea), so it takes the statements and runs them where it needs them. Methods, not
 * constants: the compiler copies a constant's text into every class that uses it, and the text is to stay here.
 */
public final class EventTableSql {

    private EventTableSql() { }

    /** The event table. */
    public static String table() {
        return "domainevententry";
    }

    /** Its global index column. */
    public static String globalIndex() {
        return "globalindex";
    }

    /**
     * An event's columns as a leaf commits to them, in this order: global index, aggregate (patient) id, sequence
     * number, payload type, payload, metadata, timestamp.
     */
    public static String eventColumns() {
        return "globalindex, aggregateidentifier, sequencenumber, payloadtype, payload, metadata, timestamp";
    }

    /** {@link #eventColumns()} of the table aliased {@code alias}. */
    public static String eventColumns(String alias) {
        return alias + ".globalindex, " + alias + ".aggregateidentifier, " + alias + ".sequencenumber, " + alias
                + ".payloadtype, " + alias + ".payload, " + alias + ".metadata, " + alias + ".timestamp";
    }

    /** Events with a global index in (?, ?], in global-index order, at most ? of them. */
    public static String eventsBetween() {
        return "SELECT " + eventColumns() + " FROM domainevententry WHERE globalindex > ? "
                + "AND globalindex <= ? ORDER BY globalindex LIMIT ?";
    }

    /** Every event with a global index up to ?, in global-index order. */
    public static String eventsUpTo() {
        return "SELECT " + eventColumns()
                + " FROM domainevententry WHERE globalindex <= ? ORDER BY globalindex";
    }

    /** One aggregate's (patient's) events, in sequence order. */
    public static String eventsOfAggregate() {
        return "SELECT " + eventColumns() + " FROM domainevententry WHERE aggregateidentifier = ? ORDER BY sequencenumber";
    }

    /** The highest sequence number of one aggregate's (patient's) events (NULL when it has none). */
    public static String lastSequenceNumberOfAggregate() {
        return "SELECT max(sequencenumber) FROM domainevententry WHERE aggregateidentifier = ?";
    }

    /** The highest global index of one aggregate's (patient's) events (NULL when it has none). */
    public static String lastGlobalIndexOfAggregate() {
        return "SELECT max(globalindex) FROM domainevententry WHERE aggregateidentifier = ?";
    }

    /** The last value drawn from the global index's sequence (cache 1, V1), 0 before the first. */
    public static String lastGlobalIndexDrawn() {
        return "SELECT CASE WHEN is_called THEN last_value ELSE 0 END "
                + "FROM domain_event_global_index_seq";
    }

    /**
     * The other transactions of this database holding the RowExclusiveLock an insert into the event table takes
     * (and keeps until its transaction ends), by virtual transaction id.
     */
    public static String writingTransactions() {
        return "SELECT virtualtransaction FROM pg_locks WHERE locktype = 'relation' "
                + "AND relation = 'domainevententry'::regclass AND mode = 'RowExclusiveLock' AND granted "
                + "AND database = (SELECT oid FROM pg_database WHERE datname = current_database()) "
                + "AND pid <> pg_backend_pid()";
    }
}
