package io.churnserving.bench.attack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

class AttackOptionsTest {
  private static AttackOptions parse(String... args) {
    return AttackOptions.parse(args, Map.of());
  }

  @Test
  void anAttackRunsFiveMinutesAgainstTheLocalServerWithItsOwnDefaults() {
    AttackOptions o = parse("--attack", "h2-zero-window");
    assertThat(o.kind()).isEqualTo(AttackKind.H2_ZERO_WINDOW);
    assertThat(o.host()).isEqualTo("127.0.0.1");
    assertThat(o.port()).isEqualTo(8080);
    assertThat(o.duration()).isEqualTo(Duration.ofMinutes(5));
    assertThat(o.connections()).isEqualTo(360);
    assertThat(o.streams()).isEqualTo(100);
    assertThat(o.interval()).isEqualTo(Duration.ZERO);
    assertThat(o.apiKey()).isEqualTo("dev-key");
    assertThat(o.seed()).isEqualTo(42);
    assertThat(o.schema()).isEqualTo(Path.of("models/churn/1/schema.json"));
    assertThat(o.out()).isNull();
    assertThat(o.progress()).isEqualTo(Duration.ofSeconds(10));
  }

  @Test
  void onlyTheAttacksSendingValidInstancesReadTheSchema() {
    String[] missing = {"--schema", "models/churn/99/schema.json"};
    assertThat(AttackRun.schemaFor(parse("--attack", "h1-no-read", missing[0], missing[1]))).isNull();
    assertThat(AttackRun.schemaFor(parse("--attack", "ws-invalid-burst", missing[0], missing[1]))).isNull();
    assertThat(AttackRun.schemaFor(parse("--attack", "batch-burst"))).isNotNull();
    for (String attack : List.of("batch-burst", "ws-close-in-flight", "h2-batch-zero-window")) {
      assertThatThrownBy(() -> AttackRun.schemaFor(parse("--attack", attack, missing[0], missing[1])))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("models/churn/99/schema.json: no such file (working directory");
    }
  }

  @Test
  void everyOptionAndBothFormsAreRead() {
    AttackOptions o = AttackOptions.parse(new String[] {"--attack=batch-burst", "--url", "http://localhost:18080/",
        "--duration", "20s", "--connections=10", "--interval", "250ms", "--seed", "7", "--out",
        "bench-results/a", "--progress", "0"}, Map.of("API_KEY", "from-env"));
    assertThat(o.kind()).isEqualTo(AttackKind.BATCH_BURST);
    assertThat(o.target()).isEqualTo("http://localhost:18080");
    assertThat(o.duration()).isEqualTo(Duration.ofSeconds(20));
    assertThat(o.connections()).isEqualTo(10);
    assertThat(o.interval()).isEqualTo(Duration.ofMillis(250));
    assertThat(o.apiKey()).isEqualTo("from-env");
    assertThat(o.seed()).isEqualTo(7);
    assertThat(o.out()).isEqualTo(Path.of("bench-results/a"));
    assertThat(o.progress()).isEqualTo(Duration.ZERO);
    assertThat(parse("--attack", "slow-body", "--api-key", "given", "--streams", "3").apiKey()).isEqualTo("given");
  }

  @Test
  void eachAttackHasItsOwnDefaultsAndOnlyThePacedOnesTakeAnInterval() {
    assertThat(parse("--attack", "batch-burst").interval()).isEqualTo(Duration.ofSeconds(5));
    assertThat(parse("--attack", "batch-burst").connections()).isEqualTo(100);
    assertThat(parse("--attack", "ws-close-in-flight").interval()).isEqualTo(Duration.ofMillis(100));
    assertThat(parse("--attack", "slow-body").streams()).isEqualTo(10);
    assertThat(parse("--attack", "h1-no-read").streams()).isZero();
    assertThatThrownBy(() -> parse("--attack", "h1-no-read", "--streams", "5"))
        .hasMessage("--streams goes with the HTTP/2 attacks, not h1-no-read");
    assertThatThrownBy(() -> parse("--attack", "metrics-flood", "--interval", "1s"))
        .hasMessageContaining("--interval goes with ws-close-in-flight and batch-burst");
    assertThatThrownBy(() -> parse("--attack", "slow-body", "--connections", "1"))
        .hasMessageContaining("at least 2");
  }

  @Test
  void attacksAimAtThisMachineOnly() {
    assertThat(parse("--attack", "metrics-flood", "--url", "http://[::1]:9000").port()).isEqualTo(9000);
    assertThatThrownBy(() -> parse("--attack", "metrics-flood", "--url", "http://10.0.0.5:8080"))
        .hasMessageContaining("refusing non-loopback target 10.0.0.5");
    assertThatThrownBy(() -> parse("--attack", "metrics-flood", "--url", "http://example.com"))
        .hasMessageContaining("refusing non-loopback target");
    assertThatThrownBy(() -> parse("--attack", "metrics-flood", "--allow-remote", "x"))
        .hasMessageContaining("attacks aim at this machine only");
  }

  @Test
  void badOptionsAreRefusedWithTheirName() {
    assertThatThrownBy(() -> parse()).hasMessageContaining("--attack NAME is required");
    assertThatThrownBy(() -> parse("--attack", "teardrop")).hasMessageContaining("--attack 'teardrop' is not one of");
    assertThatThrownBy(() -> parse("--attack", "h1-no-read", "--rate", "5")).hasMessage(
        "unknown option --rate with --attack");
    assertThatThrownBy(() -> parse("--attack", "h1-no-read", "--url", "http://127.0.0.1:8080/predict"))
        .hasMessageContaining("has a path");
    assertThatThrownBy(() -> parse("--attack", "h1-no-read", "--url", "ws://127.0.0.1:8080"))
        .hasMessageContaining("must be http://HOST:PORT");
    assertThatThrownBy(() -> parse("--attack", "h1-no-read", "--duration", "0"))
        .hasMessage("--duration must be more than 0");
    assertThatThrownBy(() -> parse("--attack", "h1-no-read", "--connections", "0"))
        .hasMessageContaining("--connections must be a whole number from 1 to 20000");
    assertThatThrownBy(() -> parse("--attack", "h1-no-read", "--duration")).hasMessage("--duration needs a value");
    assertThatThrownBy(() -> parse("--attack", "h1-no-read", "stray")).hasMessage("unexpected argument 'stray'");
  }

  @Test
  void theBenchCommandTellsAnAttackFromALoadTest() {
    assertThat(AttackCommand.wanted(new String[] {"--attack", "h1-no-read"})).isTrue();
    assertThat(AttackCommand.wanted(new String[] {"--url", "x", "--attack=h1-no-read"})).isTrue();
    assertThat(AttackCommand.wanted(new String[] {"--mode", "open", "--rate", "5"})).isFalse();
  }

  @Test
  void theListNamesEveryAttackAndBadOptionsExitWithTwo() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    assertThat(run(out, err, "--attack", "list")).isEqualTo(AttackCommand.OK);
    String list = out.toString(StandardCharsets.UTF_8);
    assertThat(list.lines().filter(l -> !l.startsWith(" ")).map(l -> l.split(" ")[0]).toList())
        .containsExactlyElementsOf(Arrays.stream(AttackKind.values()).map(k -> k.label).toList());
    assertThat(run(out, err, "--attack", "h1-no-read", "--help")).isEqualTo(AttackCommand.OK);
    assertThat(out.toString(StandardCharsets.UTF_8)).contains("usage: java -jar churn-serving.jar bench --attack");
    assertThat(run(out, err, "--attack", "nope")).isEqualTo(AttackCommand.USAGE);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("bench: --attack 'nope' is not one of");
    assertThat(run(out, err, "--attack", "batch-burst", "--schema", "nowhere.json")).isEqualTo(AttackCommand.USAGE);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("bench: --schema nowhere.json: no such file");
  }

  private static int run(ByteArrayOutputStream out, ByteArrayOutputStream err, String... args) {
    return AttackCommand.run(args, Map.of(), new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8), new CountDownLatch(1));
  }
}
