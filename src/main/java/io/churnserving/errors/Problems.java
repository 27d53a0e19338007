package io.churnserving.errors;

import io.churnserving.ratelimit.RateLimitExceeded;
import io.churnserving.scoring.ScoringException;
import io.churnserving.serving.ModelLoadFailed;
import io.churnserving.serving.ModelNotFound;
import io.churnserving.validation.MalformedJsonException;
import io.churnserving.validation.RequestValidationException;

/**
 * Maps every failure to its problem. Nothing a client sends maps to 500: only a fault of the server itself does,
 * and then the detail says nothing about internals.
 */
public final class Problems {
  private static final String PREFIX = "urn:problem:churn-serving:";

  private Problems() {
  }

  /** The problem for a failure raised while handling a request. */
  public static Problem from(Throwable failure) {
    if (failure instanceof RequestValidationException e) {
      String detail = e.total() == 1 ? "1 field is invalid" : e.total() + " fields are invalid";
      return new Problem(PREFIX + "validation-error", "Request validation failed", 422,
          e.total() > e.errors().size() ? detail + "; the first " + e.errors().size() + " are listed" : detail,
          null, e.errors());
    }
    if (failure instanceof MalformedJsonException e) {
      return of(400, "malformed-json", "Malformed JSON", "The body is not valid JSON: " + e.getMessage());
    }
    if (failure instanceof RateLimitExceeded e) {
      return of(429, "rate-limited", "Too many requests", e.getMessage());
    }
    if (failure instanceof ScoringException.TimedOut e) {
      return of(504, "timeout", "Scoring timed out", e.getMessage());
    }
    if (failure instanceof ScoringException.Overloaded e) {
      return of(503, "overloaded", "Server overloaded", e.getMessage());
    }
    if (failure instanceof ScoringException.CircuitOpen e) {
      return of(503, "circuit-open", "Model temporarily unavailable", e.getMessage());
    }
    if (failure instanceof ScoringException.ModelUnavailable e) {
      return of(503, "model-unavailable", "Model unavailable", e.getMessage());
    }
    if (failure instanceof ModelLoadFailed e) {
      return of(400, "model-load-failed", "Model load failed", e.getMessage()
          + "; whatever served before keeps serving");
    }
    if (failure instanceof ModelNotFound e) {
      return of(404, "model-not-found", "Model not found", e.getMessage());
    }
    if (failure instanceof ClientProblem e) {
      return e.problem();
    }
    return forStatus(500);
  }

  /** The problem for a bare status, such as the router's 404 and 405 or the body handler's 413. */
  public static Problem forStatus(int status) {
    return switch (status) {
      case 400 -> of(400, "bad-request", "Bad request", "The request could not be read");
      case 401 -> of(401, "unauthorized", "Unauthorized", "Invalid or missing API key");
      case 404 -> of(404, "not-found", "Not found", "No such endpoint or model");
      case 403 -> of(403, "forbidden", "Forbidden", "The key may not use this endpoint");
      case 408 -> of(408, "request-timeout", "Request timeout", "The request did not arrive in time");
      case 414 -> of(414, "uri-too-long", "URI too long", "The request line is longer than this server accepts");
      case 431 -> of(431, "headers-too-large", "Request header fields too large",
          "The request line and headers are larger than this server accepts");
      case 405 -> of(405, "method-not-allowed", "Method not allowed", "This endpoint does not take that method");
      case 413 -> of(413, "payload-too-large", "Payload too large", "The body is larger than this endpoint accepts");
      case 415 -> of(415, "unsupported-media-type", "Unsupported media type",
          "Send the body as application/json");
      default -> status >= 400 && status < 500
          ? of(status, "client-error", "Client error", "The request was refused")
          : of(500, "internal-error", "Internal server error", "The server failed; the correlation ID finds the log");
    };
  }

  /** The problem for a bare client status, with a detail that says what was wrong; a 5xx keeps its plain detail. */
  public static Problem forStatus(int status, String detail) {
    Problem plain = forStatus(status);
    return detail == null || detail.isBlank() || plain.status() >= 500 ? plain
        : new Problem(plain.type(), plain.title(), plain.status(), detail, null, null);
  }

  static Problem of(int status, String slug, String title, String detail) {
    return new Problem(PREFIX + slug, title, status, detail, null, null);
  }

  /**
   * When a refusal is worth retrying, and when: the quota's next token (429), or a second for a full queue (503),
   * or the breaker's next probe (503).
   */
  public static long retryAfterSeconds(Throwable failure) {
    if (failure instanceof RateLimitExceeded e) {
      return e.decision().retryAfterSeconds();
    }
    if (failure instanceof ScoringException.Overloaded || failure instanceof ScoringException.ModelUnavailable) {
      return 1;
    }
    if (failure instanceof ScoringException.CircuitOpen e) {
      return e.retryAfterSeconds();
    }
    return 0;
  }
}
