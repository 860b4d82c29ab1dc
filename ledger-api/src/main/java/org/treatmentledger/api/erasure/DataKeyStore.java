package org.treatmentledger.api.erasure;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.treatmentledger.core.personaldata.AesGcm;
import org.treatmentledger.core.personaldata.SubjectErasedException;
import org.treatmentledger.core.personaldata.SubjectKeys;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;
import javax.sql.DataSource;

/**
 * The patients' data keys in {@code ledger_data_key} (V30), wrapped by the {@link KeyEncryptionKeys}. The
 * {@link SubjectKeys} of the service; a key management service can take its place behind the same interface.
 * <p>
 * Reads look keys up in the caller's transaction (reads run as ledger_reader, which may select the table); a new
 * key is inserted on a connection of its own, committed before any ciphertext under it exists (commands run without
 * a transaction of their own under group commit, so this takes no second connection from a command). Unwrapped keys
 * stay in this node's memory for {@code ttl} (the longest another node's erasure can go unseen here), at most
 * {@code maxCached} of them; a destroyed key is remembered as destroyed for good.
 */
public class DataKeyStore implements SubjectKeys {

    private static final Logger log = LoggerFactory.getLogger(DataKeyStore.class);

    /** Unwrapped keys kept in memory at most (the least recently used go first). */
    static final int MAX_CACHED = 100_000;

    private record Cached(SecretKey key, long loadedAt) { }

    /** A key's row; {@code inserted}: this call's own insert stored it. */
    private record Row(String kekId, byte[] wrapped, boolean destroyed, boolean inserted) { }

    private final JdbcTemplate jdbc;
    private final DataSource dataSource;
    private final KeyEncryptionKeys keks;
    private final long ttlNanos;
    /** Unwrapped keys, the least recently used dropped first: a node need not hold every patient's key. */
    private final Map<String, Cached> cache;
    /** Destroyed keys stay known as such (few: one per erased patient), so a stale unwrapped key is never used again. */
    private final Set<String> destroyed = ConcurrentHashMap.newKeySet();

    /** Keys the event store stores with the events that first use them (see {@link NewDataKeys}). */
    private final NewDataKeys newKeys;
    /** Subjects whose deferred key was not stored (the write failed): their next key is read or stored first. */
    private final Set<String> readFirst = ConcurrentHashMap.newKeySet();

    public DataKeyStore(JdbcTemplate jdbc, DataSource dataSource, KeyEncryptionKeys keks, Duration ttl) {
        this(jdbc, dataSource, keks, ttl, MAX_CACHED, new NewDataKeys());
    }

    public DataKeyStore(JdbcTemplate jdbc, DataSource dataSource, KeyEncryptionKeys keks, Duration ttl, int maxCached,
                        NewDataKeys newKeys) {
        this.newKeys = newKeys;
        this.jdbc = jdbc;
        this.dataSource = dataSource;
        this.keks = keks;
        this.ttlNanos = ttl.toNanos();
        this.cache = Collections.synchronizedMap(new LinkedHashMap<>(1024, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Cached> eldest) {
                return size() > maxCached;
            }
        });
        newKeys.tell(new NewDataKeys.Outcome() {
            @Override
            public void stored(List<NewDataKeys.NewKey> keys) {
                for (NewDataKeys.NewKey k : keys) remember(k.subject(), k.raw());
            }

            @Override
            public void notStored(List<NewDataKeys.NewKey> keys) {
                for (NewDataKeys.NewKey k : keys) readFirst.add(k.subject());
            }
        });
    }

    /**
     * The subject's key, created if it has none. When the subject's stream begins in the write this thread is
     * serializing, a new key is made and handed to the event store, which stores it in the events' own statement
     * ({@link NewDataKeys}); otherwise one statement on a connection of its own inserts a new key (committed before
     * any value is encrypted under it) or answers the stored one.
     */
    @Override
    public SecretKey forWriting(String subject) {
        if (destroyed.contains(subject)) throw new SubjectErasedException(subject);
        SecretKey key = fresh(subject);
        if (key != null) return key;
        if (!readFirst.contains(subject)) {
            NewDataKeys.NewKey deferred = newKeys.deferred(subject, () -> {
                byte[] raw = AesGcm.newKey().getEncoded();
                return new NewDataKeys.NewKey(subject, keks.currentId(), keks.wrap(subject, raw), raw);
            });
            if (deferred != null) return new SecretKeySpec(deferred.raw(), "AES");
        }
        readFirst.remove(subject);
        byte[] created = AesGcm.newKey().getEncoded();
        Row row = insertOrRead(subject, created);
        if (row == null) row = row(subject); // another transaction inserted it meanwhile: now committed
        if (row == null || row.destroyed()) {
            destroyed.add(subject);
            throw new SubjectErasedException(subject);
        }
        // This call's own key needs no unwrapping of what it has just wrapped.
        return remember(subject, row.inserted() ? created : keks.unwrap(subject, row.kekId(), row.wrapped()));
    }

    @Override
    public SecretKey forReading(String subject) {
        if (destroyed.contains(subject)) return null;
        SecretKey key = fresh(subject);
        if (key != null) return key;
        Row row = row(subject);
        if (row == null) return null;
        if (row.destroyed()) {
            destroyed.add(subject);
            cache.remove(subject);
            return null;
        }
        return remember(subject, keks.unwrap(subject, row.kekId(), row.wrapped()));
    }

    /** Whether the subject has a data key that is not destroyed. */
    public boolean hasLiveKey(String subject) {
        Row row = row(subject);
        return row != null && !row.destroyed();
    }

    /**
     * Destroys the subject's key: its wrapped bytes and KEK id are deleted from the row (which keeps only when), in a
     * commit of its own, and this node forgets it. A subject without a key gets a destroyed row, so nothing can be
     * encrypted for it later. Then the table is vacuumed, so the old row version does not linger in its pages.
     */
    public void destroy(String subject) {
        destroyed.add(subject);
        cache.remove(subject);
        try (Connection c = dataSource.getConnection()) {
            if (!c.getAutoCommit()) c.setAutoCommit(true);
            try (PreparedStatement s = c.prepareStatement("""
                    INSERT INTO ledger_data_key (key_id, kek_id, wrapped_key, destroyed_at) VALUES (?, NULL, NULL, now())
                    ON CONFLICT (key_id) DO UPDATE SET wrapped_key = NULL, kek_id = NULL,
                           destroyed_at = COALESCE(ledger_data_key.destroyed_at, now())""")) {
                s.setString(1, subject);
                s.executeUpdate();
            }
            try (var s = c.createStatement()) {
                s.execute("VACUUM ledger_data_key");
            } catch (SQLException e) {
                // The key is destroyed; only the dead row version waits for autovacuum instead.
                log.warn("VACUUM of ledger_data_key after an erasure failed: {}", e.getMessage());
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot destroy the data key of " + subject, e);
        }
    }

    /**
     * Rewraps every data key not wrapped by the current KEK with it (a KEK rotation); the events are not touched,
     * their ciphertext is under the data keys, which do not change. Answers how many keys were rewrapped.
     */
    public int rotate() {
        String current = keks.currentId();
        List<Map<String, Object>> rows = jdbc.queryForList("SELECT key_id, kek_id, wrapped_key FROM ledger_data_key"
                + " WHERE destroyed_at IS NULL AND kek_id <> ?", current);
        int done = 0;
        for (Map<String, Object> r : rows) {
            String keyId = (String) r.get("key_id");
            String kekId = (String) r.get("kek_id");
            byte[] dataKey = keks.unwrap(keyId, kekId, (byte[]) r.get("wrapped_key"));
            done += jdbc.update("UPDATE ledger_data_key SET kek_id = ?, wrapped_key = ? WHERE key_id = ? AND kek_id = ?"
                    + " AND destroyed_at IS NULL", current, keks.wrap(keyId, dataKey), keyId, kekId);
        }
        if (!rows.isEmpty()) log.info("KEK rotation: {} data keys rewrapped by KEK {}", done, current);
        return done;
    }

    private SecretKey fresh(String subject) {
        Cached cached = cache.get(subject);
        return cached != null && System.nanoTime() - cached.loadedAt() < ttlNanos ? cached.key() : null;
    }

    private SecretKey remember(String subject, byte[] dataKey) {
        SecretKey key = new SecretKeySpec(dataKey, "AES");
        cache.put(subject, new Cached(key, System.nanoTime()));
        return key;
    }

    private Row row(String subject) {
        return jdbc.query("SELECT kek_id, wrapped_key, destroyed_at IS NOT NULL FROM ledger_data_key WHERE key_id = ?",
                (rs, i) -> new Row(rs.getString(1), rs.getBytes(2), rs.getBoolean(3), false), subject).stream().findFirst().orElse(null);
    }

    /**
     * Inserts a new key for the subject, or reads its row; null when a concurrent insert is not yet visible.
     * <p>
     * One autocommit statement on a connection of its own (never the caller's transaction), committed with
     * {@code synchronous_commit = off} ({@code set_config(..., true)} holds for the statement's own transaction): the
     * command does not wait for a WAL flush of its own for the key. That is safe because nothing can depend on the
     * key before the command's events are committed, and their commit is synchronous: it flushes the WAL up to its
     * own commit record, so the key's earlier commit record is flushed with it. A crash before that loses, at worst,
     * a key whose events were never stored. One round trip (it was BEGIN, SET LOCAL and the insert, then COMMIT).
     */
    private Row insertOrRead(String subject, byte[] dataKey) {
        byte[] wrapped = keks.wrap(subject, dataKey);
        try (Connection c = dataSource.getConnection()) {
            if (!c.getAutoCommit()) c.setAutoCommit(true);
            try (PreparedStatement s = c.prepareStatement("""
                    WITH ins AS (INSERT INTO ledger_data_key (key_id, kek_id, wrapped_key) VALUES (?, ?, ?)
                                 ON CONFLICT (key_id) DO NOTHING RETURNING kek_id, wrapped_key, false AS destroyed, true AS inserted),
                         async AS (SELECT set_config('synchronous_commit', 'off', true))
                    SELECT ins.* FROM ins, async
                    UNION ALL
                    SELECT kek_id, wrapped_key, destroyed_at IS NOT NULL, false FROM ledger_data_key WHERE key_id = ?""")) {
                s.setString(1, subject);
                s.setString(2, keks.currentId());
                s.setBytes(3, wrapped);
                s.setString(4, subject);
                try (var rs = s.executeQuery()) {
                    return rs.next() ? new Row(rs.getString(1), rs.getBytes(2), rs.getBoolean(3), rs.getBoolean(4)) : null;
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot store a new data key", e);
        }
    }
}
