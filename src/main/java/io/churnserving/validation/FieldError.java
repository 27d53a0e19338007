package io.churnserving.validation;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;

/**
 * One field at fault, as FastAPI writes it: {@code loc} is the path to the field (strings and array indexes,
 * starting with {@code "body"} for HTTP), {@code type} is Pydantic v2's error type, {@code msg} its message.
 */
@JsonPropertyOrder({"loc", "msg", "type"})
public record FieldError(List<Object> loc, String msg, String type) {
  public FieldError {
    loc = List.copyOf(loc);
  }
}
