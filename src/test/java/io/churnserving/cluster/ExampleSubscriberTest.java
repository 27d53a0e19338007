package io.churnserving.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.churnserving.bus.ExampleSubscriber;
import io.churnserving.support.ClusterNodes;
import io.churnserving.support.Faults;
import io.churnserving.support.JavaProcess;
import io.churnserving.support.ServerProcess;
import io.churnserving.support.TestServer;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The example subscriber, in a JVM of its own, joins a cluster of an HTTP node and a scoring node: its
 * {@code churn.predict} request is answered (scored on the scoring node), and it prints the {@code churn.predictions}
 * events of predictions made over HTTP, with the answers HTTP gave.
 */
class ExampleSubscriberTest {
  @Test
  void joinsTheClusterPrintsPredictionEventsAndGetsAnAnswerToItsRequest() throws Exception {
    ClusterNodes cluster = new ClusterNodes();
    try (ServerProcess http = cluster.http("EVENTS_SAMPLE_PERCENT", "100");
         ServerProcess scoring = cluster.scoring()) {
      Faults.eventually(() -> http.status("/health/ready") == 200);
      Map<String, String> env = cluster.env("all", false);
      env.remove("NODE_ROLE");
      try (JavaProcess.Running subscriber = JavaProcess.start(ExampleSubscriber.class.getName(), env,
          List.of("--events", "4"), ClusterNodes.JVM)) {
        Faults.eventually(() -> text(subscriber).contains("REPLY ") || text(subscriber).contains("FAILED "));
        String reply = line(text(subscriber), "REPLY ");
        assertThat(reply).as(text(subscriber) + err(subscriber)).isNotNull();
        assertThat(new JsonObject(reply).getString("model_version")).isEqualTo("1");

        HttpClient client = HttpClient.newHttpClient();
        List<String> answers = new ArrayList<>();
        for (int tenure : new int[] {3, 30, 60}) {
          HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + http.port()
                  + "/predict")).header("X-API-Key", TestServer.KEY).header("Content-Type", "application/json")
              .timeout(Duration.ofSeconds(10)).POST(HttpRequest.BodyPublishers.ofString(
                  new JsonObject(TestServer.EXAMPLE).put("tenure_months", tenure).encode())).build(),
              HttpResponse.BodyHandlers.ofString());
          assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
          answers.add(new JsonObject(r.body()).getValue("churn_probability").toString());
        }
        // Its own request's event and the three HTTP ones: then it exits 0 by itself (--events 4).
        assertThat(subscriber.process().waitFor(60, TimeUnit.SECONDS)).as(err(subscriber)).isTrue();
        assertThat(subscriber.process().exitValue()).as(err(subscriber)).isZero();
        List<JsonObject> events = text(subscriber).lines().filter(l -> l.startsWith("EVENT "))
            .map(l -> new JsonObject(l.substring(6))).toList();
        assertThat(events).hasSize(4);
        assertThat(events).allSatisfy(e -> assertThat(e.getString("model")).isEqualTo("churn"));
        assertThat(events.stream().filter(e -> e.getString("transport").equals("http"))
            .map(e -> e.getJsonObject("prediction").getValue("churn_probability").toString()).toList())
            .containsExactlyInAnyOrderElementsOf(answers);
      }
    }
  }

  private static String line(String text, String prefix) {
    return text.lines().filter(l -> l.startsWith(prefix)).map(l -> l.substring(prefix.length())).findFirst()
        .orElse(null);
  }

  private static String text(JavaProcess.Running p) {
    try {
      return p.stdoutText();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private static String err(JavaProcess.Running p) {
    try {
      return p.stderrText();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }
}
