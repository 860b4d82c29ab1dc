package org.treatmentledger.api.integrity;

import org.springframework.jdbc.core.JdbcTemplate;
import org.treatmentledger.api.eventstore.EventTableSql;

import java.util.List;
import java.util.Optional;

/**
 * The JDBC event table ({@code domainevententry}) as the log's input: positions are its global index, which starts
 * at 1, and {@link SealHorizon} tells up to where every index is final (gaps and late commits, docs/INTEGRITY.md).
 */
public class JdbcSealSource implements SealSource {

    private final JdbcTemplate jdbc;
    private final TreeStore store;
    private final SealHorizon horizon;

    public JdbcSealSource(JdbcTemplate jdbc, TreeStore store) {
        this.jdbc = jdbc;
        this.store = store;
        this.horizon = new SealHorizon(jdbc);
    }

    @Override
    public long start() {
        return 0;
    }

    @Override
    public long horizon() {
        return horizon.advance();
    }

    @Override
    public List<TreeStore.StoredEvent> eventsBetween(long after, long upTo, int limit) {
        return store.eventsBetween(after, upTo, limit);
    }

    @Override
    public boolean inEventTable() {
        return true;
    }

    @Override
    public List<TreeStore.StoredEvent> patientEvents(String patientId) {
        return jdbc.query(EventTableSql.eventsOfAggregate(), (rs, n) -> TreeStore.event(rs), patientId);
    }

    @Override
    public Optional<Long> lastSequenceNumber(String patientId) {
        return Optional.ofNullable(jdbc.queryForObject(EventTableSql.lastSequenceNumberOfAggregate(), Long.class,
                patientId));
    }
}
