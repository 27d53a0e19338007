package io.churnserving.errors;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.churnserving.validation.FieldError;
import java.util.List;

/**
 * An RFC 9457 problem. {@code errors} lists field errors as FastAPI writes them (loc, msg, type), only for 422.
 *
 * @param type          URI naming the kind of problem
 * @param title         short summary of the kind
 * @param status        HTTP status (also used as the failure code on the event bus)
 * @param detail        what went wrong with this request
 * @param correlationId the request's correlation ID
 * @param errors        field errors, or null
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(String type, String title, int status, String detail,
                      @JsonProperty("correlation_id") String correlationId, List<FieldError> errors) {

  /** The kind of problem, the last part of its type, such as {@code rate-limited}: a label for metrics. */
  public String kind() {
    return type.substring(type.lastIndexOf(':') + 1);
  }

  /** The same problem for the request with this correlation ID. */
  public Problem withCorrelationId(String id) {
    return new Problem(type, title, status, detail, id, errors);
  }
}
