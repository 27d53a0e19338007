package io.churnserving.ops;

import static org.assertj.core.api.Assertions.assertThat;

import io.churnserving.support.TestServer;
import io.micrometer.core.instrument.Gauge;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.PoolOptions;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * A flood of {@code /metrics} (no key needed) neither starves predictions nor costs the event loops a scrape each:
 * the text is made on a worker thread, at most once per {@code METRICS_CACHE_MS}, and shared.
 */
class MetricsFloodTest {
  private static final int SCRAPERS = 64;
  private static final int SCRAPES = 1000;
  private static final int PREDICTORS = 8;
  private static final int PREDICTIONS = 400;
  /** A sample line of the text format: a name, labels perhaps (whose values may hold braces), one value. */
  private static final Pattern SAMPLE =
      Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*(\\{.*\\})? [-+]?(Inf|NaN|[0-9][0-9.eE+-]*)");

  @Test
  void aScrapeFloodIsServedFromASharedTextMadeOffTheEventLoopsWhilePredictionsAreAllServed() throws Exception {
    try (TestServer server = TestServer.start("METRICS_CACHE_MS", "1000")) {
      // A meter of the test's own, read by every scrape of the registry: it sees the thread the scrape runs on.
      Set<String> scrapeThreads = ConcurrentHashMap.newKeySet();
      AtomicInteger scrapesOnALoop = new AtomicInteger();
      Gauge.builder("test_scrape_probe", () -> {
        scrapeThreads.add(Thread.currentThread().getName());
        if (Context.isOnEventLoopThread()) {
          scrapesOnALoop.incrementAndGet();
        }
        return 1;
      }).register(server.registry());

      Vertx clients = Vertx.vertx();
      WebClient web = WebClient.create(clients, new WebClientOptions().setDefaultHost("127.0.0.1")
          .setDefaultPort(server.port()), new PoolOptions().setHttp1MaxSize(SCRAPERS + PREDICTORS));
      try {
        // Read from the registry itself: a scrape of /metrics may be a cached text with an older count.
        double madeBefore = textsMade(server);
        long started = System.nanoTime();

        Map<Integer, Integer> scrapeStatuses = new ConcurrentHashMap<>();
        Set<String> texts = ConcurrentHashMap.newKeySet();
        Set<String> contentTypes = ConcurrentHashMap.newKeySet();
        AtomicInteger scrapesLeft = new AtomicInteger(SCRAPES);
        Map<Integer, Integer> predictStatuses = new ConcurrentHashMap<>();
        AtomicInteger predictionsLeft = new AtomicInteger(PREDICTIONS);
        List<Future<Void>> loops = new ArrayList<>();
        for (int i = 0; i < SCRAPERS; i++) {
          loops.add(repeat(scrapesLeft, () -> web.get("/metrics").send().onSuccess(answer -> {
            scrapeStatuses.merge(answer.statusCode(), 1, Integer::sum);
            contentTypes.add(String.valueOf(answer.getHeader("Content-Type")));
            texts.add(answer.bodyAsString());
          })));
        }
        for (int i = 0; i < PREDICTORS; i++) {
          loops.add(repeat(predictionsLeft, () -> web.post("/predict").putHeader("X-API-Key", TestServer.KEY)
              .putHeader("Content-Type", "application/json").sendBuffer(Buffer.buffer(TestServer.EXAMPLE))
              .onSuccess(answer -> predictStatuses.merge(answer.statusCode(), 1, Integer::sum))));
        }
        TestServer.await(Future.all(loops));
        long elapsedSeconds = (System.nanoTime() - started) / 1_000_000_000L;

        assertThat(scrapeStatuses).isEqualTo(Map.of(200, SCRAPES));
        assertThat(predictStatuses).isEqualTo(Map.of(200, PREDICTIONS));
        assertThat(contentTypes).containsExactly("text/plain; version=0.0.4; charset=utf-8");
        for (String text : texts) {
          assertValidExposition(text);
        }
        // Every scrape of the registry ran off the event loops.
        assertThat(scrapeThreads).isNotEmpty().noneMatch(name -> name.contains("eventloop"));
        assertThat(scrapesOnALoop).hasValue(0);
        // At most one text made per second of the flood (plus one for the second it began in, plus one for the
        // difference between the cache's clock and this one), not one per request.
        double made = textsMade(server) - madeBefore;
        assertThat(made).as("texts made for %d scrapes in about %d s", SCRAPES, elapsedSeconds)
            .isPositive().isLessThanOrEqualTo(elapsedSeconds + 2);
        assertThat(texts.size()).isLessThanOrEqualTo((int) made);
      } finally {
        TestServer.await(clients.close());
      }
    }
  }

  /** {@code metrics_scrapes_total}: the texts the server has made from its registry. */
  private static double textsMade(TestServer server) {
    var made = server.registry().find("metrics_scrapes").counter();
    return made == null ? Double.NaN : made.count();
  }

  /** Sends one request at a time while {@code left} lasts; completes when it is spent or a request fails. */
  private static Future<Void> repeat(AtomicInteger left, Supplier<Future<HttpResponse<Buffer>>> send) {
    Promise<Void> done = Promise.promise();
    next(left, send, done);
    return done.future();
  }

  private static void next(AtomicInteger left, Supplier<Future<HttpResponse<Buffer>>> send, Promise<Void> done) {
    if (left.getAndDecrement() <= 0) {
      done.complete();
      return;
    }
    send.get().onSuccess(answer -> next(left, send, done)).onFailure(done::fail);
  }

  /** The Prometheus text format: comment lines and sample lines only, with the server's own families in it. */
  private static void assertValidExposition(String text) {
    assertThat(text).endsWith("\n").contains("# TYPE requests_in_flight gauge");
    for (String line : text.split("\n")) {
      if (!line.startsWith("#")) {
        assertThat(SAMPLE.matcher(line).matches()).as("a sample line: %s", line).isTrue();
      }
    }
  }
}
