package org.treatmentledger.api.consistency;

import java.time.Duration;
import java.util.UUID;

/**
 * This node's name in its commit notifications, and whether another node has been heard lately. Every node
 * announces itself now and then ({@link PostgresCommitAnnouncer}); a node that has heard no other node within
 * {@code presenceWindow} announces no commits, so a single node pays nothing for notifications nobody hears.
 */
public final class CommitOrigin {

    private final String name = UUID.randomUUID().toString();
    private final long presenceWindowNanos;
    /** Until when (System.nanoTime) another node counts as listening; now at first: none heard yet. */
    private volatile long othersListeningUntil = System.nanoTime();

    public CommitOrigin(Duration presenceWindow) {
        this.presenceWindowNanos = presenceWindow.toNanos();
    }

    /** The payload of this node's notifications. */
    public String name() {
        return name;
    }

    /** True for a notification this node sent itself (its commits were already signalled in memory). */
    public boolean isOwn(String payload) {
        return name.equals(payload);
    }

    /** A notification of another node arrived; true if no other node had been heard within the window before it. */
    public boolean otherNodeHeard() {
        boolean wasListening = otherNodesListening();
        othersListeningUntil = System.nanoTime() + presenceWindowNanos;
        return !wasListening;
    }

    /** Whether another node was heard within the presence window: only then are this node's commits announced. */
    public boolean otherNodesListening() {
        return System.nanoTime() - othersListeningUntil < 0;
    }
}
