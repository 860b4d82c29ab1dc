package org.treatmentledger.core.rules.timeline;

import java.util.List;
import java.util.function.Predicate;

/**
 * The one cycle model of the ledger (docs/clinical-rules.md, Cycles), for the aggregate and the read models alike.
 * Entries are taken in ledger order: occurredAt, then the order the ledger first recorded them (stream sequence;
 * an amended entry keeps its place). Each initial injection opens a cycle; every entry after it in that order, up
 * to the next initial injection, belongs to it; entries before the first one are in cycle 0. So a touch-up given
 * on the morning of a day whose afternoon opens a new cycle still belongs to the cycle it followed, and of two
 * initial injections at one instant the one recorded first opens the earlier cycle.
 *
 * <p>The read models number their effective entries with {@link #numbers}; the aggregate's {@link Timeline}
 * applies {@link #number} to its sorted lists ({@link TimelineView#cycleNumber}), so both count the same way.
 */
public final class CycleModel {

    private CycleModel() { }

    /**
     * The number of the cycle of an entry preceded in ledger order by {@code initialsBefore} initial injections;
     * {@code opensCycle}: the entry is an initial injection itself.
     */
    public static int number(int initialsBefore, boolean opensCycle) {
        return initialsBefore + (opensCycle ? 1 : 0);
    }

    /** The cycle number of each of {@code ledgerOrder} (which must be in ledger order), index for index. */
    public static <E> int[] numbers(List<E> ledgerOrder, Predicate<? super E> opensCycle) {
        int[] out = new int[ledgerOrder.size()];
        int initials = 0;
        for (int i = 0; i < out.length; i++) {
            boolean opens = opensCycle.test(ledgerOrder.get(i));
            out[i] = number(initials, opens);
            if (opens) initials++;
        }
        return out;
    }
}
