package io.churnserving.scoring;

import io.churnserving.model.FeatureRow;
import java.util.List;

/**
 * One event-bus message to a scoring worker: rows from one or many requests, each with its request's correlation
 * ID. The IDs travel in the body, not in a header, because one batch carries many requests.
 *
 * @param rows            validated rows
 * @param correlationIds  one per row
 * @param sentNanos       {@link System#nanoTime()} at send, for the queue-wait figure (same JVM only)
 */
public record ScoreBatch(List<? extends FeatureRow> rows, List<String> correlationIds, long sentNanos) {
}
