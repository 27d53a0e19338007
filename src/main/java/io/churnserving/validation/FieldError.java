package io.churnserving.validation;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;

/**
 * One field at fault, as FastAPI writes it: {@code loc} is the path to the field (property names and array
 * indexes, starting with the caller's root, {@code "body"} for HTTP), {@code msg} is Pydantic v2's message and
 * {@code type} its error type, such as {@code missing} or {@code int_from_float}.
 */
@JsonPropertyOrder({"loc", "msg", "type"})
public record FieldError(List<Object> loc, String msg, String type) {
  public FieldError {
    loc = List.copyOf(loc);
  }
}
