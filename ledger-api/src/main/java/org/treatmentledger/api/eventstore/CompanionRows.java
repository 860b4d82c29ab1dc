package org.treatmentledger.api.eventstore;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Set;

/**
 * Rows another feature stores in the same statement as the events that first need them: erasure's data key of a
 * patient whose stream begins in the write (api.erasure.NewDataKeys). Created while the caller's thread serializes
 * its events, stored atomically with them (one statement, one round trip when the write is one event), and told
 * whether they were stored.
 */
public interface CompanionRows {

    /** Runs {@code serialize}, the serialization of a write in which the streams {@code newStreams} begin. */
    Rows collect(Set<String> newStreams, Runnable serialize);

    /** The rows one write produced. */
    interface Rows {
        /** One INSERT of every row, without RETURNING (it becomes a WITH clause of the events' insert). */
        String insertSql();

        /** Binds {@link #insertSql()}'s parameters from index {@code first}; answers the next index. */
        int bind(PreparedStatement statement, int first) throws SQLException;

        /** The write committed: the rows are stored. */
        void stored();

        /** The write failed: the rows are not stored. */
        void notStored();
    }

    /** No companion rows (and a write without them). */
    CompanionRows NONE = (newStreams, serialize) -> {
        serialize.run();
        return null;
    };
}
