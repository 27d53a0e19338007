package io.churnserving.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BenchOptionsTest {
  private static BenchOptions parse(String... args) {
    return BenchOptions.parse(args, Map.of());
  }

  @Test
  void defaultsAreAClosedLoopOf64ConnectionsOnPredict() {
    BenchOptions o = parse();
    assertThat(o.url()).hasToString("http://127.0.0.1:8080/predict");
    assertThat(o.mode()).isEqualTo(BenchOptions.Mode.CLOSED);
    assertThat(o.connections()).isEqualTo(64);
    assertThat(o.duration()).isEqualTo(Duration.ofSeconds(10));
    assertThat(o.warmup()).isEqualTo(Duration.ofSeconds(3));
    assertThat(o.apiKey()).isEqualTo("dev-key");
    assertThat(o.body()).isEqualTo(BenchOptions.Body.SINGLE);
    assertThat(o.batchSize()).isEqualTo(1);
    assertThat(o.seed()).isEqualTo(42);
    assertThat(o.schema()).isEqualTo(Path.of("models/churn/1/schema.json"));
    assertThat(o.threads()).isEqualTo(1);
    assertThat(o.out()).isNull();
    assertThat(parse("--schema", "models/churn/2").schema()).isEqualTo(Path.of("models/churn/2"));
  }

  @Test
  void theApiKeyComesFromTheOptionThenTheEnvironment() {
    assertThat(BenchOptions.parse(new String[0], Map.of("API_KEY", "from-env")).apiKey()).isEqualTo("from-env");
    assertThat(BenchOptions.parse(new String[] {"--api-key", "given"}, Map.of("API_KEY", "from-env")).apiKey())
        .isEqualTo("given");
  }

  @Test
  void openLoopTakesARateAndBothOptionFormsWork() {
    BenchOptions o = parse("--mode=open", "--rate", "5000", "--connections=8", "--duration", "1.5s", "--warmup",
        "500ms", "--out", "bench-results/open", "--threads", "2", "--timeout", "2m");
    assertThat(o.mode()).isEqualTo(BenchOptions.Mode.OPEN);
    assertThat(o.rate()).isEqualTo(5000);
    assertThat(o.connections()).isEqualTo(8);
    assertThat(o.duration()).isEqualTo(Duration.ofMillis(1500));
    assertThat(o.warmup()).isEqualTo(Duration.ofMillis(500));
    assertThat(o.timeout()).isEqualTo(Duration.ofMinutes(2));
    assertThat(o.out()).isEqualTo(Path.of("bench-results/open"));
    assertThat(o.threads()).isEqualTo(2);
  }

  @Test
  void batchBodiesDefaultToTheBatchEndpointAndAThousandInstances() {
    BenchOptions o = parse("--body", "batch");
    assertThat(o.body()).isEqualTo(BenchOptions.Body.BATCH);
    assertThat(o.batchSize()).isEqualTo(1000);
    assertThat(o.url()).hasToString("http://127.0.0.1:8080/v1/models/churn:predict");
    assertThat(o.requestUri()).isEqualTo("/v1/models/churn:predict");
  }

  @Test
  void aBatchSizeAloneMeansBatches() {
    BenchOptions o = parse("--batch-size", "50");
    assertThat(o.body()).isEqualTo(BenchOptions.Body.BATCH);
    assertThat(o.batchSize()).isEqualTo(50);
  }

  @Test
  void webSocketDefaultsToTheStreamEndpointWith64InFlightAndNoBursts() {
    BenchOptions o = parse("--transport", "websocket");
    assertThat(o.transport()).isEqualTo(BenchOptions.Transport.WEBSOCKET);
    assertThat(o.url()).hasToString("ws://127.0.0.1:8080/v1/models/churn/stream");
    assertThat(o.requestUri()).isEqualTo("/v1/models/churn/stream");
    assertThat(o.port()).isEqualTo(8080);
    assertThat(o.inFlight()).isEqualTo(64);
    assertThat(o.burst()).isEqualTo(1);
    assertThat(o.batchSize()).isEqualTo(1);
    assertThat(o.unit()).isEqualTo("message");
    assertThat(o.target()).isEqualTo("WebSocket ws://127.0.0.1:8080/v1/models/churn/stream");
  }

  @Test
  void httpIsTheDefaultTransportWithOneRequestInFlight() {
    BenchOptions o = parse();
    assertThat(o.transport()).isEqualTo(BenchOptions.Transport.HTTP);
    assertThat(o.inFlight()).isEqualTo(1);
    assertThat(o.burst()).isEqualTo(1);
    assertThat(o.target()).isEqualTo("POST http://127.0.0.1:8080/predict");
  }

  @Test
  void webSocketTakesInFlightBurstAndAnOpenLoopRateOfMessages() {
    BenchOptions o = parse("--transport=websocket", "--in-flight", "128", "--burst=16", "--mode", "open",
        "--rate", "20000", "--url", "ws://localhost:9000/v1/models/churn/stream?api_key=k");
    assertThat(o.inFlight()).isEqualTo(128);
    assertThat(o.burst()).isEqualTo(16);
    assertThat(o.rate()).isEqualTo(20000);
    assertThat(o.port()).isEqualTo(9000);
    assertThat(o.requestUri()).isEqualTo("/v1/models/churn/stream?api_key=k");
    assertThat(o.keyInUrl()).isTrue();
    assertThat(o.displayUrl()).isEqualTo("ws://localhost:9000/v1/models/churn/stream?api_key=***");
    assertThat(parse("--transport", "websocket").keyInUrl()).isFalse();
  }

  @Test
  void aWsUrlAloneMeansWebSocket() {
    BenchOptions o = parse("--url", "ws://127.0.0.1:18081/v1/models/churn/stream", "--in-flight", "8");
    assertThat(o.transport()).isEqualTo(BenchOptions.Transport.WEBSOCKET);
    assertThat(o.inFlight()).isEqualTo(8);
  }

  @Test
  void wrongWebSocketOptionsAreExplained() {
    assertThatThrownBy(() -> parse("--transport", "carrier-pigeon")).hasMessageContaining("http, websocket");
    assertThatThrownBy(() -> parse("--transport", "websocket", "--url", "http://127.0.0.1/v1/models/churn/stream"))
        .hasMessageContaining("ws://");
    assertThatThrownBy(() -> parse("--transport", "http", "--url", "ws://127.0.0.1/v1/models/churn/stream"))
        .hasMessageContaining("http://");
    assertThatThrownBy(() -> parse("--url", "wss://127.0.0.1/v1/models/churn/stream"))
        .hasMessageContaining("no TLS");
    assertThatThrownBy(() -> parse("--in-flight", "8")).hasMessageContaining("--transport websocket");
    assertThatThrownBy(() -> parse("--burst", "8")).hasMessageContaining("--transport websocket");
    assertThatThrownBy(() -> parse("--transport", "websocket", "--in-flight", "257"))
        .hasMessageContaining("256");
    assertThatThrownBy(() -> parse("--transport", "websocket", "--in-flight", "0")).hasMessageContaining("--in-flight");
    assertThatThrownBy(() -> parse("--transport", "websocket", "--in-flight", "8", "--burst", "9"))
        .hasMessageContaining("--burst 9 is more than --in-flight 8");
    assertThatThrownBy(() -> parse("--transport", "websocket", "--burst", "65"))
        .hasMessageContaining("--in-flight 64");
    assertThatThrownBy(() -> parse("--transport", "websocket", "--body", "batch")).hasMessageContaining("--burst");
    assertThatThrownBy(() -> parse("--transport", "websocket", "--url", "ws://10.0.0.1/v1/models/churn/stream"))
        .hasMessageContaining("non-loopback");
  }

  @Test
  void wrongOptionsAreExplained() {
    assertThatThrownBy(() -> parse("--mode", "open")).hasMessageContaining("--rate");
    assertThatThrownBy(() -> parse("--rate", "10")).hasMessageContaining("--mode open");
    assertThatThrownBy(() -> parse("--mode", "sideways")).hasMessageContaining("closed, open");
    assertThatThrownBy(() -> parse("--connections", "0")).hasMessageContaining("--connections");
    assertThatThrownBy(() -> parse("--connections", "many")).hasMessageContaining("not a whole number");
    assertThatThrownBy(() -> parse("--duration", "10 parsecs")).hasMessageContaining("not a duration");
    assertThatThrownBy(() -> parse("--duration", "0s")).hasMessageContaining("more than 0");
    assertThatThrownBy(() -> parse("--threads", "4", "--connections", "2")).hasMessageContaining("--threads");
    assertThatThrownBy(() -> parse("--body", "single", "--batch-size", "10")).hasMessageContaining("--body batch");
    assertThatThrownBy(() -> parse("--color", "red")).hasMessageContaining("unknown option --color");
    assertThatThrownBy(() -> parse("--url")).hasMessageContaining("needs a value");
    assertThatThrownBy(() -> parse("fast")).hasMessageContaining("unexpected argument");
    assertThatThrownBy(() -> parse("--url", "https://127.0.0.1/predict")).hasMessageContaining("http://");
  }

  @Test
  void onlyLoopbackTargetsUnlessAllowed() {
    assertThat(parse("--url", "http://localhost:1/predict").url().getHost()).isEqualTo("localhost");
    assertThat(parse("--url", "http://127.0.0.2:1/predict").url().getHost()).isEqualTo("127.0.0.2");
    assertThat(parse("--url", "http://[::1]:1/predict").port()).isEqualTo(1);
    assertThatThrownBy(() -> parse("--url", "http://10.0.0.1/predict")).hasMessageContaining("non-loopback");
    assertThatThrownBy(() -> parse("--url", "http://example.org/predict")).hasMessageContaining("non-loopback");
    assertThat(parse("--url", "http://10.0.0.1/predict", "--allow-remote").allowRemote()).isTrue();
  }

  @Test
  void helpIsFoundAnywhere() {
    assertThat(BenchOptions.wantsHelp(new String[] {"--mode", "open", "--help"})).isTrue();
    assertThat(BenchOptions.wantsHelp(new String[] {"-h"})).isTrue();
    assertThat(BenchOptions.wantsHelp(new String[] {"--mode", "open"})).isFalse();
    assertThat(BenchOptions.USAGE).contains("--url", "--mode", "--connections", "--rate", "--duration", "--warmup",
        "--api-key", "--body", "--batch-size", "--seed", "--out", "--threads", "--timeout", "--allow-remote",
        "--transport http|websocket", "--in-flight", "--burst", "ws://127.0.0.1:8080/v1/models/churn/stream");
  }
}
