package io.churnserving.bench.attack;

import java.util.Arrays;
import java.util.Locale;
import java.util.function.Function;

/**
 * The hostile clients of issue 12, by the name {@code --attack} takes. Each keeps up its pressure for the whole run,
 * reconnecting whenever the server closes it, and counts what it did.
 */
enum AttackKind {
  H2_ZERO_WINDOW("h2-zero-window", 360, 100, 0,
      "HTTP/2 by prior knowledge with a flow-control window of 0: N connections x S streams of GET /openapi.json, "
          + "no key, answers never let through; each stream is reopened when the server resets it",
      run -> new ZeroWindowStreams(run, false)),
  H2_BATCH_ZERO_WINDOW("h2-batch-zero-window", 8, 100, 0,
      "the same with the key on the batch endpoint: POST /v1/models/churn:predict of 1,000 instances per stream",
      run -> new ZeroWindowStreams(run, true)),
  H1_NO_READ("h1-no-read", 64, 0, 0,
      "HTTP/1.1 GET /openapi.json pipelined on raw sockets with a 4 KiB receive buffer, answers never read",
      NeverReadingFlood::pipelinedGets),
  WS_PING_FLOOD("ws-ping-flood", 8, 0, 0,
      "WebSocket stream: 125-byte pings as fast as the socket takes them, pongs never read",
      NeverReadingFlood::pings),
  WS_INVALID_BURST("ws-invalid-burst", 16, 0, 0,
      "WebSocket stream: 64 KiB bursts [1,1,...] and malformed messages, answers never read",
      NeverReadingFlood::invalidMessages),
  WS_CLOSE_IN_FLIGHT("ws-close-in-flight", 8, 0, 100,
      "WebSocket stream with the key: 200 valid messages then a close at once (a close frame, or every other time "
          + "the TCP connection), on each connection again after --interval: the admission-leak attack",
      CloseInFlight::new),
  WS_DEFLATE_BOMB("ws-deflate-bomb", 4, 0, 0,
      "WebSocket stream offering permessage-deflate, then a compressed (RSV1) 64 KiB frame that inflates to 60 MiB; "
          + "counts whether compression was negotiated and how soon the server closed",
      DeflateBomb::new),
  METRICS_FLOOD("metrics-flood", 32, 0, 0,
      "GET /metrics on N keep-alive connections, each asking again as soon as it is answered",
      MetricsFlood::new),
  BATCH_BURST("batch-burst", 100, 0, 5000,
      "bursts of N concurrent 1,000-instance batch requests with the key, one burst every --interval (or as soon "
          + "as the last is answered); each should be answered 200",
      BatchBurst::new),
  SLOW_BODY("slow-body", 400, 10, 0,
      "POST /predict with the key whose body trickles a byte a second and never ends (slowloris): half the "
          + "connections HTTP/1.1 raw sockets, half HTTP/2 with S streams each",
      SlowBody::new),
  H1_BAD_CHUNKS("h1-bad-chunks", 8, 0, 0,
      "HTTP/1.1 chunked bodies with bad chunk sizes: 'zz', an overflowing size, a 100 KB chunk extension; each "
          + "should get a 400 and a closed connection",
      BadChunks::new);

  final String label;
  final int defaultConnections;
  /** Streams per HTTP/2 connection by default; 0 when the attack has no HTTP/2 streams. */
  final int defaultStreams;
  /** Milliseconds between rounds by default; 0 when the attack takes no {@code --interval}. */
  final long defaultIntervalMillis;
  final String description;
  private final Function<AttackRun, Attack> factory;

  AttackKind(String label, int defaultConnections, int defaultStreams, long defaultIntervalMillis,
             String description, Function<AttackRun, Attack> factory) {
    this.label = label;
    this.defaultConnections = defaultConnections;
    this.defaultStreams = defaultStreams;
    this.defaultIntervalMillis = defaultIntervalMillis;
    this.description = description;
    this.factory = factory;
  }

  boolean takesStreams() {
    return defaultStreams > 0;
  }

  boolean takesInterval() {
    return defaultIntervalMillis > 0;
  }

  /** Whether the attack sends valid instances, drawn from {@code --schema}; the others never read it. */
  boolean sendsValidInstances() {
    return this == H2_BATCH_ZERO_WINDOW || this == WS_CLOSE_IN_FLIGHT || this == BATCH_BURST;
  }

  /** The attack's clients for this run, not started yet. */
  Attack create(AttackRun run) {
    return factory.apply(run);
  }

  /** The kind called {@code label}, as {@code --attack} spells it. */
  static AttackKind byLabel(String label) {
    for (AttackKind kind : values()) {
      if (kind.label.equals(label.trim().toLowerCase(Locale.ROOT))) {
        return kind;
      }
    }
    throw new IllegalArgumentException("--attack '" + label + "' is not one of "
        + Arrays.stream(values()).map(k -> k.label).toList() + " (--attack list describes them)");
  }
}
