package org.treatmentledger.api.erasure;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.time.Duration;
import java.util.List;

/**
 * {@code ledger.erasure.*}: the key-encryption key (KEK) that wraps the patients' data keys, and how long a node
 * keeps an unwrapped data key in memory.
 *
 * @param kek            the KEK: 32 bytes in base64, or the path of a file holding them; empty: generated beside
 *                       the data (embedded development start only, see ProductionModeGuard)
 * @param previousKeks   KEKs data keys may still be wrapped with (during a rotation), same forms
 * @param generatedKek   where the development KEK is kept (default: the embedded PostgreSQL's data directory)
 * @param keyCacheTtl    how long an unwrapped data key stays in a node's memory; another node's erasure is
 *                       certain to be seen after it
 */
@ConfigurationProperties("ledger.erasure")
public record ErasureProperties(String kek, @DefaultValue List<String> previousKeks, String generatedKek,
                                @DefaultValue("10s") Duration keyCacheTtl) {
}
