package org.treatmentledger.api.consistency;

import org.springframework.boot.context.properties.ConfigurationProperties;

import java.time.Duration;

/**
 * @param maxWait      how long a patient read waits for the read models to reflect the patient's latest write
 *                     before it answers 503 READ_MODEL_BEHIND (default 2s)
 * @param pollInterval how often the read models look for new events when no commit woke them (default 500ms):
 *                     the fallback for a notification that did not arrive
 * @param minWakeInterval how long the commits after a wake-up of the read models wait to share the next one
 *                     (default 250ms; 0 wakes them for every commit): what nobody waits for becomes visible up to
 *                     that much later, for batches instead of one read-model transaction per command; a read that
 *                     waits for a write wakes the read models at once
 */
@ConfigurationProperties("ledger.reads")
public record ReadYourWritesProperties(Duration maxWait, Duration pollInterval, Duration minWakeInterval) {
    public ReadYourWritesProperties {
        if (maxWait == null) maxWait = Duration.ofSeconds(2);
        if (pollInterval == null) pollInterval = Duration.ofMillis(500);
        if (minWakeInterval == null) minWakeInterval = Duration.ofMillis(250);
        if (minWakeInterval.isNegative()) throw new IllegalArgumentException("ledger.reads.min-wake-interval must not be negative");
    }
}
