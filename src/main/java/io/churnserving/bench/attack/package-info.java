/**
 * Hostile clients for soak tests: {@code java -jar churn-serving.jar bench --attack NAME}, {@code --attack list}.
 *
 * <p>{@link io.churnserving.bench.attack.AttackCommand} is the command line. Each {@code AttackKind} names one
 * attack of issue 12 and makes its {@code Attack}, which keeps its pressure up for the whole run on one event loop:
 * raw sockets ({@code RawLane}, {@code WebSocketLane}, with frames made by hand in {@code WebSocketFrames}) for
 * what no client library would send, Vert.x HTTP clients ({@code Http1Clients}, {@code Http2Clients}) for the rest.
 * Everything is counted in {@code AttackCounts} and reported by {@code AttackReport}. {@code bench/soak.sh} runs
 * each attack beside normal load against a server process and watches it.
 *
 * <p>Nothing here is used by the server. The package depends on Vert.x core and on {@code io.churnserving.bench}
 * (bodies, the schema they are drawn from, option values, failure names); nothing depends on it but the process
 * entry point.
 */
package io.churnserving.bench.attack;
