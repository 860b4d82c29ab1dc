package org.treatmentledger.api;

import org.springframework.boot.context.properties.ConfigurationProperties;

import java.time.Duration;

/**
 * Axon settings the ledger chooses on purpose ({@code ledger.axon.*}).
 *
 * @param snapshotThreshold    events on a patient stream between snapshots (default 100)
 * @param aggregateCache       keep recently used patients in memory (default true; a weak-reference cache,
 *                             safe on one node; with several nodes on one JDBC store a stale entry only
 *                             costs a retry because the append fails on the unique sequence number)
 * @param commandTimeout       how long an HTTP write waits for the command's result before answering 503
 * @param queryTimeout         how long an HTTP read waits for a query's answer before answering 503
 * @param gapTimeout           how long a gap in the global index is awaited before tracking processors give it up
 *                             (Axon's default 60 s; writes keep transactions far shorter than that)
 * @param gapCleaningThreshold number of gaps tracked before old ones are cleaned
 * @param tokenClaimInterval   how often an idle pooled processor tries to claim unclaimed segments
 * @param processorBatchSize   events per processor batch, one transaction (default 500)
 * @param eventFetchSize       events the JDBC event store reads per query, for processors and aggregate loads
 *                             (Axon's default 100; larger means fewer round trips and transactions per replay)
 * @param groupCommit          commit the events of concurrent commands in one transaction (default true; JDBC
 *                             store only; see eventstore.GroupCommitEventStorageEngine)
 * @param groupCommitMaxEvents events one group transaction holds at most (default 500)
 * @param processorRetryMaxDelay longest wait of a pooled processor's coordinator before it runs again, in
 *                             particular before it retries after an error such as the database unreachable
 *                             (default 2 s; Axon alone doubles it up to 60 s). See CoordinatorScheduler.
 */
@ConfigurationProperties("ledger.axon")
public record LedgerAxonProperties(Integer snapshotThreshold, Boolean aggregateCache, Duration commandTimeout,
                                   Duration queryTimeout, Duration gapTimeout, Integer gapCleaningThreshold,
                                   Duration tokenClaimInterval, Integer processorBatchSize,
                                   Integer eventFetchSize, Boolean groupCommit, Integer groupCommitMaxEvents,
                                   Duration processorRetryMaxDelay) {
    public LedgerAxonProperties {
        if (snapshotThreshold == null) snapshotThreshold = 100;
        if (aggregateCache == null) aggregateCache = true;
        if (commandTimeout == null) commandTimeout = Duration.ofSeconds(10);
        if (queryTimeout == null) queryTimeout = Duration.ofSeconds(10);
        if (gapTimeout == null) gapTimeout = Duration.ofSeconds(60);
        if (gapCleaningThreshold == null) gapCleaningThreshold = 250;
        if (tokenClaimInterval == null) tokenClaimInterval = Duration.ofSeconds(5);
        if (processorBatchSize == null) processorBatchSize = 500;
        if (eventFetchSize == null) eventFetchSize = 100;
        if (groupCommit == null) groupCommit = true;
        if (groupCommitMaxEvents == null) groupCommitMaxEvents = 500;
        if (processorRetryMaxDelay == null) processorRetryMaxDelay = Duration.ofSeconds(2);
    }
}
