package io.churnserving.fuzz;

import io.churnserving.support.Models;
import static org.assertj.core.api.Assertions.assertThat;

import io.churnserving.support.StreamFrames;
import io.churnserving.support.TestServer;
import io.churnserving.validation.FieldError;
import io.churnserving.validation.JsonBodyParser;
import io.churnserving.validation.MalformedJsonException;
import io.churnserving.validation.RequestValidator;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Property: on one WebSocket to the real server, every message, however broken, gets its answers (one per frame:
 * an error with a 4xx problem, or a prediction when the frame happens to be valid) within a timeout, and the
 * connection stays open for the next. Messages go one at a time, so each answer belongs to the last message.
 * {@value #MESSAGES} messages from seed {@value #SEED}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StreamFuzzTest {
  static final long SEED = 20_261_124L;
  static final int MESSAGES = 2_500;
  static final String PATH = "/v1/models/churn/stream";

  private static final RequestValidator VALIDATOR = Models.validator();

  TestServer server;
  WebSocketClient client;
  WebSocket ws;
  final BlockingQueue<String> answers = new LinkedBlockingQueue<>();

  @BeforeAll
  void start() {
    server = TestServer.start();
    client = server.vertx().createWebSocketClient();
    ws = TestServer.await(client.connect(new WebSocketConnectOptions().setHost("127.0.0.1").setPort(server.port())
        .setURI(PATH).addHeader("X-API-Key", TestServer.KEY)));
    // A burst's answers come as one array frame; each answer is queued on its own.
    ws.textMessageHandler(text -> StreamFrames.each(text, a -> answers.add(a.encode())));
  }

  @AfterAll
  void stop() {
    TestServer.await(ws.close());
    TestServer.await(client.close());
    server.close();
  }

  /** One hostile message text: a frame or a burst of them, broken at the JSON or the byte level. */
  private static String message(Bodies b) {
    return switch (b.nextInt(10)) {
      case 0 -> new String(b.randomBytes(), StandardCharsets.UTF_8);
      case 1, 2 -> new String(b.mutate(Bodies.utf8(frame(b))), StandardCharsets.UTF_8);
      case 3 -> "[" + String.join(",", frames(b, 1 + b.nextInt(5))) + "]";
      case 4 -> new String(b.mutate(Bodies.utf8("[" + String.join(",", frames(b, 1 + b.nextInt(4))) + "]")),
          StandardCharsets.UTF_8);
      case 5 -> "[".repeat(b.nextInt(60_000)); // deep, yet under the 64 KiB frame limit
      default -> frame(b);
    };
  }

  private static List<String> frames(Bodies b, int n) {
    List<String> frames = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      frames.add(frame(b));
    }
    return frames;
  }

  /** One frame: {"id", "instance"} with either broken, missing or extra, or a non-object. */
  private static String frame(Bodies b) {
    List<String[]> entries = new ArrayList<>();
    String id = switch (b.nextInt(12)) {
      case 0 -> null;
      case 1 -> b.pick(Bodies.WRONG_VALUES);
      case 2 -> b.pick(Bodies.NUMBERS);
      case 3 -> Bodies.quote("é😀\u0000" + b.nextInt(1000));
      default -> "\"m" + b.nextInt(1_000_000) + "\"";
    };
    if (id != null) {
      entries.add(new String[] {"id", id});
    }
    int kind = b.nextInt(8);
    if (kind != 0) {
      entries.add(new String[] {"instance", kind < 4 ? b.validInstance() : b.instanceText()});
    }
    if (b.chance(10)) {
      entries.add(new String[] {b.chance(50) ? "id" : "extra", b.pick(Bodies.WRONG_VALUES)});
    }
    return b.chance(5) ? b.pick(Bodies.WRONG_VALUES) : b.object(entries);
  }

  /** The answers a message should get: "400", "422" or "prediction", one per frame (order does not matter). */
  private static List<String> expected(String message) {
    Object json;
    try {
      json = JsonBodyParser.parse(message.getBytes(StandardCharsets.UTF_8));
    } catch (MalformedJsonException e) {
      return List.of("400");
    }
    List<String> out = new ArrayList<>();
    if (json instanceof List<?> burst && burst.isEmpty()) {
      return List.of("422"); // an empty burst is one message, refused as too_short
    }
    for (Object frame : json instanceof List<?> burst ? burst : List.of(json == null ? "null" : json)) {
      out.add(validFrame(frame) ? "prediction" : "422");
    }
    return out;
  }

  /** The stream's frame rules, as the README states them: an id string or number, a valid instance, no more. */
  private static boolean validFrame(Object frame) {
    if (!(frame instanceof Map<?, ?> m) || !(m.get("id") instanceof String || m.get("id") instanceof Number)
        || !m.containsKey("instance") || m.size() != 2) {
      return false;
    }
    List<FieldError> errors = new ArrayList<>();
    return VALIDATOR.instance(m.get("instance"), List.of("instance"), errors) != null;
  }

  @Test
  void everyBadMessageGetsA4xxErrorAndTheConnectionStaysOpen() throws InterruptedException {
    Bodies b = new Bodies(SEED);
    List<String> violations = new ArrayList<>();
    Map<String, Integer> seen = new TreeMap<>();
    int emptyBursts = 0;
    for (int i = 0; i < MESSAGES && violations.size() < 20; i++) {
      String message = message(b);
      List<String> want = expected(message);
      if (message.strip().equals("[]")) {
        emptyBursts++;
      }
      ws.writeTextMessage(message);
      List<String> got = new ArrayList<>();
      for (int k = 0; k < want.size(); k++) {
        String text = answers.poll(HttpFuzz.TIMEOUT_MS, TimeUnit.MILLISECONDS);
        if (text == null) {
          violations.add("#" + i + " no answer " + (k + 1) + " of " + want.size() + ": "
              + HttpFuzz.abbreviate(message));
          break;
        }
        String problem = check(new JsonObject(text), got);
        if (problem != null) {
          violations.add("#" + i + " " + problem + ": " + HttpFuzz.abbreviate(message));
        }
      }
      got.forEach(g -> seen.merge(g, 1, Integer::sum));
      if (!sorted(got).equals(sorted(want))) {
        violations.add("#" + i + " answers " + got + ", expected " + want + ": " + HttpFuzz.abbreviate(message));
      }
      if (ws.isClosed()) {
        violations.add("#" + i + " closed the connection: " + HttpFuzz.abbreviate(message));
        break;
      }
    }
    assertThat(violations).isEmpty();
    assertThat(seen.keySet()).as("answers seen: %s", seen).containsExactlyInAnyOrder("400", "422", "prediction");
    assertThat(emptyBursts).isLessThan(MESSAGES / 10);
    // Still open and serving after all that.
    ws.writeTextMessage("{\"id\": \"last\", \"instance\": " + TestServer.EXAMPLE + "}");
    JsonObject last = new JsonObject(answers.poll(HttpFuzz.TIMEOUT_MS, TimeUnit.MILLISECONDS));
    assertThat(last.getString("id")).isEqualTo("last");
    assertThat(HttpFuzz.checkPrediction(last.getJsonObject("prediction"))).isNull();
  }

  /** Checks one answer's shape, adding its kind ("400", "422", "prediction") to {@code got}; the violation or null. */
  private static String check(JsonObject answer, List<String> got) {
    if (!answer.containsKey("id")) {
      return "answer without id " + answer.encode();
    }
    JsonObject error = answer.getJsonObject("error");
    if (error != null) {
      int status = error.getInteger("status", -1);
      got.add(Integer.toString(status));
      if (status < 400 || status >= 500 || !Oracle.CLIENT_ERRORS.contains(status)) {
        return "error status " + status;
      }
      return HttpFuzz.checkProblem(error, status, true);
    }
    got.add("prediction");
    return answer.getValue("id") == null ? "a prediction without its id"
        : HttpFuzz.checkPrediction(answer.getJsonObject("prediction"));
  }

  private static List<String> sorted(List<String> list) {
    return list.stream().sorted().toList();
  }
}
