/**
 * The load-test harness, shipped in the server's own jar: {@code java -jar churn-serving.jar bench --help}.
 *
 * <p>{@link io.churnserving.bench.LoadTest} is the command line. A {@code LoadRun} gives each client event loop a
 * {@code Driver} ({@code HttpDriver}, or {@code WebSocketDriver} with {@code --transport websocket}), a
 * {@code Pacer} (closed loop: send when answered; open loop: a fixed schedule whose due times are where latency
 * counts from, so coordinated omission is corrected) and a {@code Recorder} (HdrHistogram, microseconds, and
 * {@code OverTime}: the same per interval, for the over-time chart). The summed {@code Result}, with the target's
 * {@code ServerVersion} and the load generator's {@code Machine}, is printed by {@code TextReport} and written by
 * {@code JsonReport} and {@code HtmlReport} (self-contained, inline SVG, errors first).
 *
 * <p>The bodies ({@code RequestBodies}) are drawn from a model version's request schema ({@code SchemaFile}, read
 * before the run) by the server's own {@code RequestValidator}, so the harness names no field of any model.
 *
 * <p>Nothing here is used by the server; the package depends on Vert.x core, HdrHistogram and, for the bodies, the
 * project's {@code validation} package. The hostile clients of {@code bench.attack} build on its bodies ({@code RequestBodies}), option values
 * ({@code OptionValues}) and failure names ({@code TransportErrors}).
 */
package io.churnserving.bench;
