package org.treatmentledger.projections.rebuild;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A read model's processor as seen from this node.
 *
 * @param processingGroup the read model
 * @param running         the processor runs on this node
 * @param replaying       a rebuild is still replaying history
 * @param caughtUp        every segment has reached the head of the event stream
 * @param error           a segment is in error (see the logs and the dead-letter queue)
 * @param segments        segments claimed on this node
 * @param position        the lowest global index the claimed segments have processed
 * @param resetPosition   the head of the stream when the rebuild started (while replaying)
 * @param stage           what a rebuild is doing: BULK_COPY (rows filled in bulk, the processor
 *                        is shut down meanwhile), REPLAYING (event by event); absent when none runs
 * @param percent         how far a rebuild has come in its stage (100 when not replaying)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RebuildProgress(String processingGroup, boolean running, boolean replaying, boolean caughtUp,
                              boolean error, int segments, Long position, Long resetPosition, String stage,
                              Double percent) { }
