package io.churnserving.fuzz;

import io.churnserving.support.Models;
import static org.assertj.core.api.Assertions.assertThat;

import io.churnserving.validation.JsonBodyParser;
import io.churnserving.validation.MalformedJsonException;
import io.churnserving.validation.RequestValidationException;
import io.churnserving.validation.RequestValidator;
import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;
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
  private static final RequestValidator VALIDATOR = Models.validator();

  @Test
  void instanceBodiesGetTheFullPathsAnswer() {
    Bodies bodies = new Bodies(ParserFuzzTest.SEED + 7);
    assertThat(disagreements(INSTANCES, bodies::hostileInstance, body -> VALIDATOR.instance(Buffer.buffer(body)),
        body -> VALIDATOR.validateInstance(JsonBodyParser.parse(body), RequestValidator.BODY).orElseThrow()))
        .isEmpty();
  }

  @Test
  void batchBodiesGetTheFullPathsAnswer() {
    Bodies bodies = new Bodies(ParserFuzzTest.SEED + 8);
    assertThat(disagreements(BATCHES, bodies::hostileBatch, body -> VALIDATOR.batch(Buffer.buffer(body)),
        body -> VALIDATOR.validateBatch(JsonBodyParser.parse(body), RequestValidator.BODY).orElseThrow()))
        .isEmpty();
  }

  /** The bodies (at most ten) on which the request path and the full path answer differently. */
  private static List<String> disagreements(int cases, Supplier<byte[]> bodies, Function<byte[], Object> request,
                                            Function<byte[], Object> full) {
    List<String> found = new ArrayList<>();
    for (int i = 0; i < cases && found.size() < 10; i++) {
      byte[] body = bodies.get();
      String byRequestPath = outcome(() -> request.apply(body));
      String byFullPath = outcome(() -> full.apply(body));
      if (!byRequestPath.equals(byFullPath)) {
        found.add(HttpFuzz.abbreviate(new String(body, StandardCharsets.UTF_8)) + "\n  request path: "
            + byRequestPath + "\n  full path: " + byFullPath);
      }
    }
    return found;
  }

  private static String outcome(Supplier<Object> path) {
    try {
      return "valid " + path.get();
    } catch (RequestValidationException e) {
      return "invalid " + e.errors();
    } catch (MalformedJsonException e) {
      return "malformed " + e.getMessage();
    }
  }
}
