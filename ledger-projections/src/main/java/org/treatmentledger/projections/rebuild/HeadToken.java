package org.treatmentledger.projections.rebuild;

import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.eventhandling.GapAwareTrackingToken;
import org.axonframework.eventhandling.tokenstore.TokenStore;

import java.util.List;
import java.util.TreeSet;

/**
 * The processor's token after a bulk rebuild: every segment at the head the copy reached, with the global indexes it
 * did not see in the last {@code maxGapOffset} positions as gaps, exactly as Axon's own gap-aware token would hold
 * them. An event committed later at one of those positions is then handled by the processor as usual (the handlers
 * are idempotent), and so is every event appended after the head. Events older than the last {@code maxGapOffset}
 * positions are assumed committed, the same assumption Axon's token makes.
 */
final class HeadToken {

    private final TransactionManager tokenTransactions;
    private final TokenStore tokens;
    private final int maxGapOffset;

    HeadToken(TransactionManager tokenTransactions, TokenStore tokens, int maxGapOffset) {
        this.tokenTransactions = tokenTransactions;
        this.tokens = tokens;
        this.maxGapOffset = maxGapOffset;
    }

    /** The first global index of the window whose gaps the token keeps: the last {@code maxGapOffset} up to the head. */
    long windowStart(long first, long head) {
        return Math.max(first, head - maxGapOffset + 1);
    }

    /** Stores the token at {@code head} with {@code missing} as gaps for every segment of {@code processor}, claims released. */
    GapAwareTrackingToken store(String processor, long head, List<Long> missing) {
        GapAwareTrackingToken token = GapAwareTrackingToken.newInstance(head, new TreeSet<>(missing));
        tokenTransactions.executeInTransaction(() -> {
            for (int segment : tokens.fetchSegments(processor)) {
                tokens.storeToken(token, processor, segment);
                tokens.releaseClaim(processor, segment);
            }
        });
        return token;
    }
}
