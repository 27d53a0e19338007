/**
 * The load-test harness, in the server's own jar: {@code java -jar churn-serving.jar bench --help}. A Vert.x HTTP
 * client drives the server closed-loop (N connections, one request each in flight) or open-loop (a fixed schedule,
 * latency measured from the intended send time, so a stalled server cannot hide its queue), records latency in
 * HdrHistogram, and writes JSON and a self-contained HTML report.
 */
package io.churnserving.bench;
