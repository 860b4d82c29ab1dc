package org.treatmentledger.api.eventstore;

import org.axonframework.eventhandling.deadletter.jdbc.DeadLetterSchema;
import org.axonframework.eventhandling.tokenstore.jdbc.TokenSchema;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import java.util.HashMap;
import java.util.Map;

/**
 * The one place in ledger-api that reads or writes Axon's own tables (tokens, dead letters) with SQL, for what
 * Axon's API does not offer: counts across nodes and releasing this node's claims. Table and column names come from
 * Axon's schema classes, the same defaults the Flyway migrations create.
 */
@Component
public class AxonTables {

    private final JdbcTemplate jdbc;
    private final TokenSchema tokens = TokenSchema.builder().build();
    private final DeadLetterSchema deadLetters = DeadLetterSchema.defaultSchema();

    public AxonTables(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** Segments (token rows) per processor, over all nodes. */
    public Map<String, Integer> segmentsPerProcessor() {
        Map<String, Integer> counts = new HashMap<>();
        jdbc.query("SELECT " + tokens.processorNameColumn() + ", count(*) AS n FROM " + tokens.tokenTable()
                        + " GROUP BY " + tokens.processorNameColumn(),
                rs -> { counts.put(rs.getString(1), rs.getInt("n")); });
        return counts;
    }

    /** Segments of a processor some node holds a claim on. */
    public int claimedSegments(String processor) {
        Integer claimed = jdbc.queryForObject("SELECT count(*) FROM " + tokens.tokenTable() + " WHERE "
                + tokens.processorNameColumn() + " = ? AND " + tokens.ownerColumn() + " IS NOT NULL", Integer.class, processor);
        return claimed == null ? 0 : claimed;
    }

    /** Releases the claims {@code owner} holds on a processor's segments, so whichever node starts first may take them. */
    public void releaseClaims(String processor, String owner) {
        jdbc.update("UPDATE " + tokens.tokenTable() + " SET " + tokens.ownerColumn() + " = NULL WHERE "
                + tokens.processorNameColumn() + " = ? AND " + tokens.ownerColumn() + " = ?", processor, owner);
    }

    /** Dead-lettered sequences (one per patient stream) of a processing group. */
    public long deadLetteredSequences(String processingGroup) {
        Long n = jdbc.queryForObject("SELECT count(DISTINCT " + deadLetters.sequenceIdentifierColumn() + ") FROM "
                + deadLetters.deadLetterTable() + " WHERE " + deadLetters.processingGroupColumn() + " = ?",
                Long.class, processingGroup);
        return n == null ? 0 : n;
    }
}
