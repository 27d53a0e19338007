package io.churnserving.scoring;

import io.churnserving.model.FeatureRow;
import java.util.List;

/**
 * One event-bus message to a scoring worker: rows from one or many requests, each with its request's correlation
 * ID and deadline. Both travel in the body, not in headers, because one batch carries many requests.
 *
 * @param rows            validated rows
 * @param correlationIds  one per row
 * @param deadlines       one per row: {@link System#nanoTime()} after which the row is dropped unscored
 * @param sentNanos       {@link System#nanoTime()} at send, for the queue-wait figure
 */
// nanoTime values mean nothing in another JVM: the clustered wire codec will send them as remaining durations.
public record ScoreBatch(List<? extends FeatureRow> rows, List<String> correlationIds, long[] deadlines,
                         long sentNanos) {
}
