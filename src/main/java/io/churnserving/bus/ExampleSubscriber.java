package io.churnserving.bus;

import io.churnserving.cluster.HazelcastCluster;
import io.churnserving.config.ConfigException;
import io.churnserving.config.ConfigLoader;
import io.churnserving.config.ServerConfig;
import io.churnserving.events.PredictionEvents;
import io.churnserving.observability.LogLevels;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An event-bus client in a JVM of its own, as a user's service would be: joins the cluster (as a Hazelcast lite
 * member, so it holds none of the cluster's data), prints every {@code churn.predictions} event as one JSON line,
 * and sends one {@code churn.predict} request, printing the answer. Run from the server's jar:
 *
 * <pre>
 * CLUSTER_HOST=127.0.0.1 CLUSTER_HAZELCAST_PORT=5710 CLUSTER_MEMBERS=127.0.0.1:5701 \
 *   java -cp churn-serving.jar io.churnserving.bus.ExampleSubscriber [--events N]
 * </pre>
 *
 * <p>It reads the same {@code CLUSTER_*} settings as a node ({@code CLUSTER_ENABLED} is implied). Each output line
 * starts with {@code REPLY}, {@code FAILED} or {@code EVENT}, then the JSON. With {@code --events N} it exits 0 after
 * N events; without, it runs until stopped.
 */
public final class ExampleSubscriber {
  private ExampleSubscriber() {
  }

  public static void main(String[] args) throws Exception {
    int stopAfter = args.length == 2 && args[0].equals("--events") ? Integer.parseInt(args[1]) : -1;
    Map<String, String> env = new HashMap<>(System.getenv());
    env.put("CLUSTER_ENABLED", "true");
    env.put("NODE_ROLE", "all");
    ServerConfig.Cluster settings;
    try {
      settings = ConfigLoader.load(env).cluster();
    } catch (ConfigException e) {
      System.err.println("Cannot start: " + e.getMessage());
      System.exit(1);
      return;
    }
    // Only what it prints on stdout: Hazelcast's and Vert.x's info lines would bury the events.
    LogLevels.applyRoot("ERROR");
    HazelcastCluster cluster = HazelcastCluster.of(settings, true);
    Vertx vertx = Vertx.builder().with(HazelcastCluster.options(new VertxOptions(), settings))
        .withClusterManager(cluster.manager()).buildClustered().await();
    AtomicInteger seen = new AtomicInteger();
    vertx.eventBus().<JsonObject>consumer(PredictionEvents.PREDICTIONS, m -> {
      System.out.println("EVENT " + m.body().encode());
      if (stopAfter > 0 && seen.incrementAndGet() >= stopAfter) {
        vertx.close().onComplete(ar -> System.exit(0));
      }
    }).completion().await();
    JsonObject request = new JsonObject().put("model", "churn").put("instance", new JsonObject()
        .put("tenure_months", 24).put("monthly_charges", 79.5).put("contract_type", "month-to-month")
        .put("num_products", 2).put("internet_service", "Fiber"));
    vertx.eventBus().<JsonObject>request(PredictConsumerVerticle.ADDRESS, request,
            new DeliveryOptions().addHeader(PredictConsumerVerticle.CORRELATION_HEADER, "example-subscriber")
                .setSendTimeout(10_000))
        .onSuccess(reply -> System.out.println("REPLY " + reply.body().encode()))
        .onFailure(e -> System.out.println("FAILED " + new JsonObject().put("error", String.valueOf(e.getMessage()))
            .encode()));
  }
}
