package io.churnserving.support;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.util.List;

/** Assertions on RFC 9457 problem answers. */
public final class Problems {
  private Problems() {
  }

  /** Asserts the answer is a problem with this status, carrying the echoed correlation ID; returns its body. */
  public static JsonObject assertProblem(HttpResponse<Buffer> response, int status) {
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(status);
    assertThat(response.getHeader("Content-Type")).isEqualTo("application/problem+json");
    JsonObject body = response.bodyAsJsonObject();
    assertThat(body.getInteger("status")).isEqualTo(status);
    assertThat(body.getString("type")).isNotBlank();
    assertThat(body.getString("title")).isNotBlank();
    assertThat(body.getString("detail")).isNotBlank();
    assertThat(body.getString("correlation_id")).isNotBlank().isEqualTo(response.getHeader("X-Request-ID"));
    return body;
  }

  /** The field errors of a 422 problem, as {@code loc -> type} strings like {@code body.tenure_months:int_type}. */
  public static List<String> locTypes(JsonObject problem) {
    JsonArray errors = problem.getJsonArray("errors");
    return errors.stream().map(JsonObject.class::cast).map(e -> String.join(".",
        e.getJsonArray("loc").stream().map(String::valueOf).toList()) + ":" + e.getString("type")).toList();
  }

  /** The message of the error at this loc (dot-joined). */
  public static String msgAt(JsonObject problem, String loc) {
    return problem.getJsonArray("errors").stream().map(JsonObject.class::cast)
        .filter(e -> String.join(".", e.getJsonArray("loc").stream().map(String::valueOf).toList()).equals(loc))
        .map(e -> e.getString("msg")).findFirst().orElseThrow(() -> new AssertionError("no error at " + loc));
  }
}
