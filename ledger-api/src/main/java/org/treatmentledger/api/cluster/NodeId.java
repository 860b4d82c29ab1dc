package org.treatmentledger.api.cluster;

import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.util.UUID;

/**
 * This node's id ({@code ledger.node-id}): its heartbeat row and the owner of its token claims. The default is
 * host name + pid + a short random part, so two application contexts in one JVM never share an owner. Set it
 * explicitly (e.g. to the pod name) to recognise nodes in logs and in {@code tokenentry.owner}.
 */
public record NodeId(String value) {

    public NodeId {
        if (value == null || value.isBlank()) value = generate();
        if (value.length() > 255) throw new IllegalArgumentException("ledger.node-id is longer than 255 characters");
    }

    static String generate() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (Exception e) {
            host = "unknown-host";
        }
        return host + "-" + ManagementFactory.getRuntimeMXBean().getPid() + "-"
                + UUID.randomUUID().toString().substring(0, 8);
    }

    @Override
    public String toString() {
        return value;
    }
}
