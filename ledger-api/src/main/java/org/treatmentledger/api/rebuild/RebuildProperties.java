package org.treatmentledger.api.rebuild;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * How read-model rebuilds run on the JDBC event store ({@code ledger.rebuild.*}; see projections.rebuild.BulkRebuild).
 *
 * @param bulk                  fill the read models in bulk, then continue event by event from the head (default
 *                              true); false replays every event through the processor (slower, same result)
 * @param copyWorkers           connections copying event ranges at once (default 1: on two cores the derivation
 *                              of durability and lot rows runs beside the copy and uses the other core)
 * @param indexesPerTransaction global indexes copied per transaction (default 20,000: each commits in well under
 *                              a second)
 * @param eventsPerPage         events read per query when deriving rows per patient (default 5,000)
 * @param deriveWorkers         connections deriving durability and lot rows at once, each for a range of patients
 *                              (default 1: on 2 cores a second one made no difference that survived the machine's
 *                              noise and raised the peak heap; raise it on machines with more cores)
 */
@ConfigurationProperties("ledger.rebuild")
public record RebuildProperties(Boolean bulk, Integer copyWorkers, Integer indexesPerTransaction, Integer eventsPerPage,
                                Integer deriveWorkers) {
    public RebuildProperties {
        if (bulk == null) bulk = true;
        if (copyWorkers == null) copyWorkers = 1;
        if (indexesPerTransaction == null) indexesPerTransaction = 20_000;
        if (eventsPerPage == null) eventsPerPage = 5_000;
        if (deriveWorkers == null) deriveWorkers = 1;
        if (copyWorkers < 1 || indexesPerTransaction < 1 || eventsPerPage < 1 || deriveWorkers < 1) {
            throw new IllegalArgumentException("ledger.rebuild.copy-workers, derive-workers, indexes-per-transaction and events-per-page must be positive");
        }
    }
}
