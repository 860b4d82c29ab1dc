package org.treatmentledger.projections.rebuild;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.treatmentledger.projections.ledger.RecordedEvent;
import org.treatmentledger.projections.store.DerivedRowsProjection;
import org.treatmentledger.projections.store.EventCodec;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The derived rows (durability, lots) built per page of patients by the read models' own derivations, read from the
 * event store itself in patient order (its (aggregate, sequence) index), {@code eventsPerPage} events per query and
 * their patients' rows per transaction. Several workers can each take a range of patients ({@link #patientBounds}).
 */
final class PagedDerivation {

    private static final Logger log = LoggerFactory.getLogger(BulkRebuild.class);

    private final RebuildTransactions transactions;
    private final AxonEventTable events;
    private final List<DerivedRowsProjection<?>> derived;
    private final int eventsPerPage;
    private final EventCodec codec;

    PagedDerivation(RebuildTransactions transactions, AxonEventTable events, List<DerivedRowsProjection<?>> derived,
                    int eventsPerPage, EventCodec codec) {
        this.codec = codec;
        this.transactions = transactions;
        this.events = events;
        this.derived = List.copyOf(derived);
        this.eventsPerPage = eventsPerPage;
    }

    /**
     * {@code parts - 1} patient ids that split the registered patients into {@code parts} ranges of about equal
     * size ((lower, upper] each), in PostgreSQL's order of the ids, which the page queries use too.
     */
    List<String> patientBounds(int parts) {
        List<String> bounds = new ArrayList<>();
        for (int k = 1; k < parts; k++) {
            String bound = events.patientIdAt((double) k / parts);
            if (bound != null && (bounds.isEmpty() || !bounds.get(bounds.size() - 1).equals(bound))) bounds.add(bound);
        }
        return bounds;
    }

    /**
     * The derived rows of every patient in (fromExclusive, toInclusive] (no upper bound when null) with events they
     * need, counting the patients done in {@code derivedPatients}; returns them. Events appended meanwhile may or
     * may not be seen: the processor, started at the copy's head, derives those patients' rows again.
     */
    long deriveRows(String fromExclusive, String toInclusive, AtomicLong derivedPatients) {
        if (derived.isEmpty()) return 0;
        Set<String> types = new TreeSet<>();
        derived.forEach(d -> types.addAll(d.eventTypes()));
        String[] classNames = EventCodec.storedClassNames().stream()
                .filter(c -> types.contains(c.substring(c.lastIndexOf('.') + 1))).toArray(String[]::new);
        long done = 0;
        long queryNanos = 0;
        long writeNanos = 0;
        int pages = 0;
        long slowestQueryNanos = 0;
        String after = fromExclusive;
        while (true) {
            long q0 = System.nanoTime();
            List<StoredEvent> rows = events.page(after, toInclusive, classNames, eventsPerPage);
            long q = System.nanoTime() - q0;
            queryNanos += q;
            slowestQueryNanos = Math.max(slowestQueryNanos, q);
            if (rows.isEmpty()) {
                log.info("Derived rows for {} patients in {} pages: page queries {} s (slowest {} ms), decoding, deriving "
                                + "and writing {} s", done, pages, String.format("%.1f", queryNanos / 1e9),
                        slowestQueryNanos / 1_000_000, String.format("%.1f", writeNanos / 1e9));
                return done;
            }
            long w0 = System.nanoTime();
            Map<String, List<RecordedEvent>> page = new LinkedHashMap<>();
            for (StoredEvent row : rows) page.computeIfAbsent(row.patientId(), k -> new ArrayList<>()).add(row.decode(codec));
            if (rows.size() == eventsPerPage) {
                // The last patient may continue beyond the page: read it whole, alone, if it is the only one.
                String last = rows.get(rows.size() - 1).patientId();
                if (page.size() > 1) {
                    page.remove(last);
                } else {
                    page.put(last, events.patient(last, classNames).stream().map(e -> e.decode(codec)).toList());
                }
            }
            transactions.relaxed(() -> {
                for (DerivedRowsProjection<?> projection : derived) projection.deriveIntoEmptied(page);
                return null;
            });
            writeNanos += System.nanoTime() - w0;
            pages++;
            done += page.size();
            derivedPatients.addAndGet(page.size());
            after = lastKey(page); // the page is in aggregate order
        }
    }

    private static String lastKey(Map<String, ?> page) {
        String last = null;
        for (String key : page.keySet()) last = key;
        return last;
    }
}
