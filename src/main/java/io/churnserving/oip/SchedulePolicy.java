package io.churnserving.oip;

import io.churnserving.errors.ClientProblem;
import java.util.Map;

/**
 * Triton's schedule policy parameters of one request ({@code "parameters": {"priority": p, "timeout": t}}).
 *
 * @param priority      {@code priority}: 0 (the default level) or more, 1 the highest; accepted and checked, but
 *                      this server's batcher keeps one first-come queue, so it changes nothing yet
 * @param timeoutMicros {@code timeout} in microseconds: the time the client gives the request, capped by the
 *                      transport to the server's own deadline; 0 when not given (Triton's "no timeout of its own")
 */
public record SchedulePolicy(long priority, long timeoutMicros) {
  /** No policy asked for. */
  public static final SchedulePolicy DEFAULT = new SchedulePolicy(0, 0);

  /**
   * Reads a request's parameters (null when it has none).
   *
   * @throws ClientProblem 400 when {@code priority} or {@code timeout} is not a whole number of at least 0
   */
  public static SchedulePolicy of(Map<?, ?> parameters) {
    if (parameters == null || !parameters.containsKey("priority") && !parameters.containsKey("timeout")) {
      return DEFAULT;
    }
    return new SchedulePolicy(wholeNumber(parameters, "priority", "a priority level"),
        wholeNumber(parameters, "timeout", "microseconds"));
  }

  /** The timeout in whole milliseconds, rounded up so that a timeout under one is not none; 0 when not given. */
  public long timeoutMillis() {
    return timeoutMicros == 0 ? 0 : (timeoutMicros + 999) / 1000;
  }

  private static long wholeNumber(Map<?, ?> parameters, String name, String unit) {
    if (!parameters.containsKey(name)) {
      return 0;
    }
    Object value = parameters.get(name);
    if (!(value instanceof Integer || value instanceof Long) || ((Number) value).longValue() < 0) {
      throw InferenceRequest.bad("parameters." + name + " must be a whole number (" + unit + ") of at least 0"
          + (value instanceof Number ? ", got " + value : ""));
    }
    return ((Number) value).longValue();
  }
}
