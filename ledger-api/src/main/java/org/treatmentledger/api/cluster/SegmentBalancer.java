package org.treatmentledger.api.cluster;

import org.axonframework.eventhandling.pooled.MaxSegmentProvider;

/**
 * Bounds the segments one node may claim per pooled processor to ceil(segments / live nodes). Axon's
 * coordinator asks on every coordination round: it claims no more than this and releases segments above it,
 * so a node that joins gets its share and the survivors of a dead node take its segments over.
 */
public class SegmentBalancer implements MaxSegmentProvider {

    private final NodeRegistry nodes;
    private final int defaultSegments;

    public SegmentBalancer(NodeRegistry nodes, int defaultSegments) {
        this.nodes = nodes;
        this.defaultSegments = defaultSegments;
    }

    @Override
    public int getMaxSegments(String processorName) {
        Integer segments = nodes.segmentCount(processorName);
        int total = segments == null || segments == 0 ? defaultSegments : segments;
        return share(total, nodes.liveNodes());
    }

    static int share(int segments, int liveNodes) {
        int n = Math.max(1, liveNodes);
        return (segments + n - 1) / n;
    }
}
