package io.churnserving.bench.attack;

import static org.assertj.core.api.Assertions.assertThat;

import io.churnserving.support.Faults;
import io.churnserving.support.TestServer;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Each attack client against the real server, small (2 connections, 5 streams): it connects, sends what it is
 * meant to, and sees what the server does to it. One server for all, with a 1 s body timeout so the slow body's 408
 * comes soon (and short write and drain timeouts, below); each attack is stopped as soon as it has shown its effect,
 * and the attackers' connections are closed at the end. What the server must withstand is the soak's business
 * (bench/soak.sh), not these tests'.
 */
class AttacksAgainstTheServerTest {
  static TestServer server;
  static Vertx attackers;
  static final List<AttackRun> runs = new ArrayList<>();

  @BeforeAll
  static void start() {
    // Attackers that read nothing hold their sockets' close (Vert.x flushes first) until the server closes them, and
    // the server's drain at the end for its full timeout: short ones keep this test short.
    server = TestServer.start("HTTP_BODY_TIMEOUT_MS", "1000", "HTTP_WRITE_TIMEOUT_MS", "500",
        "DRAIN_TIMEOUT_MS", "200");
    attackers = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
  }

  @AfterAll
  static void stop() {
    TestServer.await(Future.join(runs.stream().map(AttackRun::close).toList()));
    TestServer.await(attackers.close());
    server.close();
  }

  /** Starts the attack, waits until its counts show {@code shown}, stops it, and returns the counts. */
  private static AttackCounts attack(String name, Predicate<AttackCounts> shown, String... more) {
    List<String> args = new ArrayList<>(List.of("--attack", name, "--url", "http://127.0.0.1:" + server.port(),
        "--connections", "2"));
    args.addAll(List.of(more));
    AttackOptions options = AttackOptions.parse(args.toArray(String[]::new), Map.of());
    AttackCounts counts = new AttackCounts();
    AttackRun run = new AttackRun(attackers, options, counts, AttackRun.schemaFor(options));
    runs.add(run);
    Attack attack = options.kind().create(run);
    attackers.runOnContext(v -> attack.start());
    try {
      Faults.eventually(() -> shown.test(counts));
    } finally {
      run.stop();
    }
    return counts;
  }

  private static long status(AttackCounts counts, int status) {
    return counts.statuses().getOrDefault(status, 0L);
  }

  @Test
  void h2ZeroWindowOpensStreamsWhoseAnswersGetNoFurtherThanTheirHead() {
    AttackCounts c = attack("h2-zero-window", k -> status(k, 200) >= 10, "--streams", "5");
    assertThat(c.get(AttackCounts.CONNECTIONS)).isBetween(2L, 10L);
    assertThat(c.get(AttackCounts.REQUESTS)).isGreaterThanOrEqualTo(10);
  }

  @Test
  void h2BatchZeroWindowSendsKeyedBatchesOnStreamsThatReadNothing() {
    AttackCounts c = attack("h2-batch-zero-window", k -> status(k, 200) >= 2, "--streams", "5");
    assertThat(c.get(AttackCounts.REQUESTS)).isGreaterThanOrEqualTo(2);
  }

  @Test
  void h1NoReadPipelinesRequestsUntilTheServerStopsTakingThem() {
    AttackCounts c = attack("h1-no-read", k -> k.get(AttackCounts.REQUESTS) >= 2000);
    assertThat(c.get(AttackCounts.CONNECTIONS)).isPositive();
    assertThat(c.statuses()).as("answers are never read").isEmpty();
  }

  @Test
  void wsPingFloodSendsPingsOnUpgradedStreams() {
    AttackCounts c = attack("ws-ping-flood", k -> k.get("pings") >= 1000);
    assertThat(c.get(AttackCounts.UPGRADES)).isPositive();
  }

  @Test
  void wsInvalidBurstSendsBurstsAndMalformedMessages() {
    AttackCounts c = attack("ws-invalid-burst", k -> k.get(AttackCounts.MESSAGES) >= 32_817);
    assertThat(c.get(AttackCounts.UPGRADES)).isPositive();
  }

  @Test
  void wsCloseInFlightClosesStreamsWithMessagesInFlightAndTheServerAnswersTheClose() {
    AttackCounts c = attack("ws-close-in-flight", k -> k.get("close_1000") >= 1 && k.get("tcp_closes") >= 1,
        "--interval", "10ms");
    assertThat(c.get("streams")).isGreaterThanOrEqualTo(2);
    assertThat(c.get(AttackCounts.MESSAGES)).isGreaterThanOrEqualTo(400);
  }

  @Test
  void wsDeflateBombIsNotOfferedCompressionAndItsFrameGetsTheConnectionClosed() {
    AttackCounts c = attack("ws-deflate-bomb", k -> k.get(AttackCounts.CLOSED_BY_SERVER) >= 2);
    assertThat(c.get("bombs")).isPositive();
    assertThat(c.get("extension_negotiated")).isZero();
    assertThat(DeflateBomb.deflatedZeros(DeflateBomb.INFLATED_BYTES).length).isLessThan(65_536);
  }

  @Test
  void metricsFloodScrapesAgainAndAgain() {
    AttackCounts c = attack("metrics-flood", k -> status(k, 200) >= 20);
    assertThat(c.get("bytes_received")).isPositive();
  }

  @Test
  void batchBurstSendsConcurrentThousandInstanceBatches() {
    AttackCounts c = attack("batch-burst", k -> status(k, 200) >= 4, "--interval", "10ms");
    assertThat(c.get("bursts")).isGreaterThanOrEqualTo(2);
    assertThat(c.statuses().keySet()).containsOnly(200);
  }

  @Test
  void slowBodyTricklesBodiesUntilTheServerTimesThemOut() {
    AttackCounts c = attack("slow-body", k -> status(k, 408) >= 1, "--streams", "2");
    assertThat(c.get(AttackCounts.REQUESTS)).isGreaterThanOrEqualTo(3);
    assertThat(c.get("trickled_bytes")).isPositive();
  }

  @Test
  void h1BadChunksGetsA400AndAClosedConnectionForEachKindOfBadChunk() {
    AttackCounts c = attack("h1-bad-chunks", k -> k.get("answered_zz") >= 1 && k.get("answered_overflow") >= 1
        && k.get("answered_long_extension") >= 1 && k.get(AttackCounts.CLOSED_BY_SERVER) >= 3);
    assertThat(c.statuses().keySet()).containsOnly(400);
  }
}
