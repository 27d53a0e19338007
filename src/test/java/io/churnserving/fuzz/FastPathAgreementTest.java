package io.churnserving.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import io.churnserving.validation.JsonBodyParser;
import io.churnserving.validation.MalformedJsonException;
import io.churnserving.validation.RequestValidationException;
import io.churnserving.validation.RequestValidator;
import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The request path ({@link RequestValidator#instance(Buffer)} and {@link RequestValidator#batch(Buffer)}, which
 * read valid bodies straight from the token stream) answers every fuzz body exactly as the full path does
 * (parse to maps, then validate): the same instances, or the same field errors, or the same malformed-JSON text.
 * Seeded; {@value #INSTANCES} instance bodies and {@value #BATCHES} batch bodies.
 */
class FastPathAgreementTest {
  static final int INSTANCES = 30_000;
  static final int BATCHES = 3_000;
  private static final RequestValidator VALIDATOR = RequestValidator.create();

  @Test
  void instanceBodiesGetTheFullPathsAnswer() {
    Bodies bodies = new Bodies(ParserFuzzTest.SEED + 7);
    List<String> disagreements = new ArrayList<>();
    for (int i = 0; i < INSTANCES && disagreements.size() < 10; i++) {
      byte[] body = bodies.hostileInstance();
      String request = outcome(() -> VALIDATOR.instance(Buffer.buffer(body)));
      String full = outcome(() -> VALIDATOR.validateInstance(JsonBodyParser.parse(body), RequestValidator.BODY)
          .orElseThrow());
      if (!request.equals(full)) {
        disagreements.add(HttpFuzz.abbreviate(new String(body, StandardCharsets.UTF_8)) + "\n  request path: "
            + request + "\n  full path: " + full);
      }
    }
    assertThat(disagreements).isEmpty();
  }

  @Test
  void batchBodiesGetTheFullPathsAnswer() {
    Bodies bodies = new Bodies(ParserFuzzTest.SEED + 8);
    List<String> disagreements = new ArrayList<>();
    for (int i = 0; i < BATCHES && disagreements.size() < 10; i++) {
      byte[] body = bodies.hostileBatch();
      String request = outcome(() -> VALIDATOR.batch(Buffer.buffer(body)));
      String full = outcome(() -> VALIDATOR.validateBatch(JsonBodyParser.parse(body), RequestValidator.BODY)
          .orElseThrow());
      if (!request.equals(full)) {
        disagreements.add(HttpFuzz.abbreviate(new String(body, StandardCharsets.UTF_8)) + "\n  request path: "
            + request + "\n  full path: " + full);
      }
    }
    assertThat(disagreements).isEmpty();
  }

  private static String outcome(java.util.function.Supplier<Object> path) {
    try {
      return "valid " + path.get();
    } catch (RequestValidationException e) {
      return "invalid " + e.errors();
    } catch (MalformedJsonException e) {
      return "malformed " + e.getMessage();
    }
  }
}
