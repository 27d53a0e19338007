package io.churnserving.bench;

import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * What to run.
 *
 * @param url          target endpoint
 * @param mode         closed or open loop
 * @param connections  connections (closed loop: requests in flight)
 * @param rate         open loop: requests per second
 * @param duration     measured time
 * @param warmup       time before measuring, results discarded
 * @param apiKey       sent as X-API-Key
 * @param batchSize    0 for single bodies, else instances per batch body
 * @param seed         seed of the random bodies
 * @param out          path prefix of the JSON and HTML reports, or null
 * @param allowRemote  whether a non-loopback target is allowed
 */
record BenchOptions(URI url, Mode mode, int connections, int rate, Duration duration, Duration warmup, String apiKey,
                    int batchSize, long seed, String out, boolean allowRemote) {

  enum Mode { CLOSED, OPEN }

  static final String USAGE = """
      usage: java -jar churn-serving.jar bench [options]
        --url URL           target (default http://127.0.0.1:8080/predict)
        --mode closed|open  closed: N connections, one request each in flight (default)
                            open: a fixed request rate; latency counts from the intended send time
        --connections N     connections (default 64)
        --rate R            open loop: requests per second (required with --mode open)
        --duration 10s      measured time (s or ms suffix)
        --warmup 3s         load before measuring, not recorded
        --api-key KEY       X-API-Key (default $API_KEY or dev-key)
        --batch-size N      send {"instances": [N bodies]} (for /v1/models/churn:predict); 0 = single (default)
        --seed N            seed of the random bodies (default 42)
        --out PATH          write PATH.json and PATH.html
        --allow-remote      allow a target that is not loopback
      """;

  static BenchOptions parse(String[] args, Map<String, String> env) {
    Map<String, String> o = new HashMap<>();
    boolean allowRemote = false;
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (a.equals("--allow-remote")) {
        allowRemote = true;
      } else if (a.startsWith("--") && i + 1 < args.length) {
        o.put(a.substring(2), args[++i]);
      } else {
        throw new IllegalArgumentException("unexpected argument: " + a);
      }
    }
    Mode mode = Mode.valueOf(o.getOrDefault("mode", "closed").toUpperCase());
    int rate = Integer.parseInt(o.getOrDefault("rate", "0"));
    if (mode == Mode.OPEN && rate <= 0) {
      throw new IllegalArgumentException("--mode open needs --rate");
    }
    BenchOptions options = new BenchOptions(URI.create(o.getOrDefault("url", "http://127.0.0.1:8080/predict")), mode,
        Integer.parseInt(o.getOrDefault("connections", "64")), rate, duration(o.getOrDefault("duration", "10s")),
        duration(o.getOrDefault("warmup", "3s")), o.getOrDefault("api-key", env.getOrDefault("API_KEY", "dev-key")),
        Integer.parseInt(o.getOrDefault("batch-size", "0")), Long.parseLong(o.getOrDefault("seed", "42")),
        o.get("out"), allowRemote);
    if (!allowRemote && !isLoopback(options.url().getHost())) {
      throw new IllegalArgumentException("refusing non-loopback target " + options.url().getHost()
          + " (use --allow-remote for a machine you run)");
    }
    return options;
  }

  static Duration duration(String text) {
    if (text.endsWith("ms")) {
      return Duration.ofMillis(Long.parseLong(text.substring(0, text.length() - 2)));
    }
    return Duration.ofSeconds(Long.parseLong(text.endsWith("s") ? text.substring(0, text.length() - 1) : text));
  }

  private static boolean isLoopback(String host) {
    return host.equals("localhost") || host.startsWith("127.") || host.equals("[::1]") || host.equals("::1");
  }
}
