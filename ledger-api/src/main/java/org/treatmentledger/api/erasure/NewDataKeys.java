package org.treatmentledger.api.erasure;

import org.treatmentledger.api.eventstore.CompanionRows;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The data keys of patients whose event streams begin in the write being serialized on this thread. Such a key is
 * stored by the event store in the same statement as the events that first use it (one round trip, atomic)
 * instead of in a commit of its own ahead of them: a registration at one client cost two round trips where an
 * injection cost one (docs/PERFORMANCE.md, W1 at one client). A patient whose stream begins here has no key yet,
 * so nothing needs to be read first; a key left by an earlier failed attempt makes the write fail once (the key's
 * unique id), and the next attempt reads and uses that key ({@link DataKeyStore}).
 */
public final class NewDataKeys implements CompanionRows {

    /** A key created for {@code subject}: its id is the subject, stored wrapped; {@code raw} never leaves memory. */
    public record NewKey(String subject, String kekId, byte[] wrapped, byte[] raw) { }

    private static final class Scope {
        final Set<String> subjects;
        final Map<String, NewKey> keys = new LinkedHashMap<>();

        Scope(Set<String> subjects) {
            this.subjects = subjects;
        }
    }

    private final ThreadLocal<Scope> scope = new ThreadLocal<>();

    /** Told which deferred keys were stored with their events, and which were not. */
    interface Outcome {
        void stored(List<NewKey> keys);

        void notStored(List<NewKey> keys);
    }

    private volatile Outcome outcome = new Outcome() {
        public void stored(List<NewKey> keys) { }

        public void notStored(List<NewKey> keys) { }
    };

    void tell(Outcome outcome) {
        this.outcome = outcome;
    }

    /** Runs {@code serialize} with the keys of {@code newStreams}' patients deferred to the write; null when none was made. */
    @Override
    public Rows collect(Set<String> newStreams, Runnable serialize) {
        if (newStreams.isEmpty()) {
            serialize.run();
            return null;
        }
        Scope outer = scope.get();
        Scope mine = new Scope(newStreams);
        scope.set(mine);
        try {
            serialize.run();
        } finally {
            if (outer == null) scope.remove();
            else scope.set(outer);
        }
        if (mine.keys.isEmpty()) return null;
        List<NewKey> keys = List.copyOf(mine.keys.values());
        Outcome told = outcome;
        return new Rows() {
            @Override
            public String insertSql() {
                return NewDataKeys.insertSql(keys.size());
            }

            @Override
            public int bind(PreparedStatement statement, int first) throws SQLException {
                return NewDataKeys.bind(statement, first, keys);
            }

            @Override
            public void stored() {
                told.stored(keys);
            }

            @Override
            public void notStored() {
                told.notStored(keys);
            }
        };
    }

    /** This thread's deferred key of {@code subject}, created when its stream begins in the write; null otherwise. */
    NewKey deferred(String subject, Supplier<NewKey> create) {
        Scope current = scope.get();
        if (current == null || !current.subjects.contains(subject)) return null;
        return current.keys.computeIfAbsent(subject, s -> create.get());
    }

    /** The statement that stores {@code count} keys, to run before the events' insert in the same transaction. */
    static String insertSql(int count) {
        StringBuilder sql = new StringBuilder("INSERT INTO ledger_data_key (key_id, kek_id, wrapped_key) VALUES ");
        for (int i = 0; i < count; i++) sql.append(i == 0 ? "(?, ?, ?)" : ", (?, ?, ?)");
        return sql.toString();
    }

    /** Binds {@link #insertSql}'s parameters from {@code first}; answers the next parameter's index. */
    static int bind(PreparedStatement statement, int first, List<NewKey> keys) throws SQLException {
        int i = first;
        for (NewKey key : keys) {
            statement.setString(i++, key.subject());
            statement.setString(i++, key.kekId());
            statement.setBytes(i++, key.wrapped());
        }
        return i;
    }
}
