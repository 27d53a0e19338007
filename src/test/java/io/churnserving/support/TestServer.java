package io.churnserving.support;

import io.churnserving.app.MainVerticle;
import io.churnserving.app.VertxRuntime;
import io.churnserving.scoring.ModelCall;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

/**
 * The real server for a test: {@link MainVerticle} with the bundled config and model, bound to a free port, and a
 * real HTTP client. Event loops are checked more strictly than Vert.x's default, and {@link NoBlockedThreads} fails
 * any test during which one was reported blocked.
 */
public final class TestServer implements AutoCloseable {
  public static final String KEY = "dev-key";
  /** The customer of the example: 24 months, 79.5, month-to-month, 2 products, fiber. */
  public static final String EXAMPLE = "{\"tenure_months\": 24, \"monthly_charges\": 79.5, \"contract_type\": "
      + "\"month-to-month\", \"num_products\": 2, \"internet_service\": \"Fiber\"}";

  private final Vertx vertx;
  private final MainVerticle root;
  private final PrometheusMeterRegistry registry;
  private final WebClient client;

  private TestServer(Vertx vertx, MainVerticle root, PrometheusMeterRegistry registry) {
    this.vertx = vertx;
    this.root = root;
    this.registry = registry;
    this.client = WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1")
        .setDefaultPort(root.httpPort()), new PoolOptions().setHttp1MaxSize(64));
  }

  /** Options every test Vert.x uses: a blocked event loop is reported after 1 s (the default is 2 s). */
  public static VertxOptions strictOptions() {
    return new VertxOptions().setBlockedThreadCheckInterval(200).setMaxEventLoopExecuteTime(1)
        .setMaxEventLoopExecuteTimeUnit(TimeUnit.SECONDS);
  }

  /** The environment tests start from: the repo's config, any free port. */
  public static Map<String, String> baseEnv() {
    Map<String, String> env = new HashMap<>();
    env.put("CONFIG_PATH", "conf/config.json");
    env.put("HTTP_PORT", "0");
    // Tests that read the access log turn it on; the rest would only fill the build output with it.
    env.put("ACCESS_LOG_PERCENT", "0");
    // Tests that are about these set them; the rest should not wait out a shutdown grace or read a cached scrape.
    env.put("SHUTDOWN_GRACE_MS", "0");
    env.put("METRICS_CACHE_MS", "0");
    return env;
  }

  /** Starts the server with {@link #baseEnv()} plus the overrides given as name, value pairs. */
  public static TestServer start(String... overrides) {
    Map<String, String> env = baseEnv();
    for (int i = 0; i < overrides.length; i += 2) {
      env.put(overrides[i], overrides[i + 1]);
    }
    return start(env);
  }

  /** Starts the server with exactly this environment; throws what the deployment failed with. */
  public static TestServer start(Map<String, String> env) {
    return start(env, UnaryOperator.identity());
  }

  /**
   * Starts the real server with a fault injector around each worker's real model call, plus the overrides given
   * as name, value pairs.
   */
  public static TestServer startWithFaults(UnaryOperator<ModelCall> faults, String... overrides) {
    Map<String, String> env = baseEnv();
    for (int i = 0; i < overrides.length; i += 2) {
      env.put(overrides[i], overrides[i + 1]);
    }
    return start(env, faults);
  }

  private static TestServer start(Map<String, String> env, UnaryOperator<ModelCall> faults) {
    VertxRuntime runtime = VertxRuntime.build(env, strictOptions());
    Vertx vertx = runtime.vertx();
    MainVerticle root = new MainVerticle(env, faults, runtime.registry(), runtime.spans());
    try {
      await(vertx.deployVerticle(root));
    } catch (RuntimeException e) {
      await(vertx.close());
      throw e;
    }
    return new TestServer(vertx, root, runtime.registry());
  }

  /** Deploys and returns the failure; for start-up failure tests. */
  public static Throwable startFailure(Map<String, String> env) {
    Vertx vertx = Vertx.vertx(strictOptions());
    try {
      Throwable cause = vertx.deployVerticle(new MainVerticle(env)).toCompletionStage().toCompletableFuture()
          .handle((id, e) -> e).get(60, TimeUnit.SECONDS);
      return cause == null ? null : (cause.getCause() != null && cause instanceof java.util.concurrent.CompletionException
          ? cause.getCause() : cause);
    } catch (Exception e) {
      throw new AssertionError(e);
    } finally {
      await(vertx.close());
    }
  }

  public Vertx vertx() {
    return vertx;
  }

  /** The composition root, e.g. to drain it as SIGTERM does. */
  public MainVerticle root() {
    return root;
  }

  /**
   * The server's Prometheus registry, or null when metrics are off: a test can register a meter of its own on it, to
   * see when and on which thread the server's scrape reads it.
   */
  public PrometheusMeterRegistry registry() {
    return registry;
  }

  public int port() {
    return root.httpPort();
  }

  /** The event-bus bridge's port; -1 when BRIDGE_PORT is not set. */
  public int bridgePort() {
    return root.bridgePort();
  }

  public WebClient client() {
    return client;
  }

  /** A request with the development key. */
  public HttpRequest<Buffer> request(HttpMethod method, String path) {
    return client.request(method, path).putHeader("X-API-Key", KEY);
  }

  /** POSTs a JSON body with the development key and waits for the answer. */
  public HttpResponse<Buffer> postJson(String path, String json) {
    return await(request(HttpMethod.POST, path).putHeader("Content-Type", "application/json")
        .sendBuffer(Buffer.buffer(json)));
  }

  /** GETs without a key and waits for the answer. */
  public HttpResponse<Buffer> get(String path) {
    return await(client.get(path).send());
  }

  /** Waits for a future from a test thread (never from an event loop). */
  public static <T> T await(Future<T> future) {
    try {
      return future.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException e) {
      throw e.getCause() instanceof RuntimeException r ? r : new RuntimeException(e.getCause());
    } catch (Exception e) {
      throw new AssertionError("no answer within 60 s", e);
    }
  }

  @Override
  public void close() {
    client.close();
    await(vertx.close());
  }
}
