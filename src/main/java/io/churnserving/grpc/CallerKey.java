package io.churnserving.grpc;

import io.churnserving.errors.ClientProblem;
import io.churnserving.security.ApiKey;
import io.churnserving.security.KeyRing;
import io.churnserving.security.Scope;
import io.vertx.core.MultiMap;


/**
 * The key of a call, from its {@code x-api-key} metadata, checked as HTTP checks the {@code X-API-Key} header:
 * UNAUTHENTICATED for a missing or unknown key (HTTP's 401), PERMISSION_DENIED for a key without the scope (403).
 */
final class CallerKey {
  /** gRPC metadata keys are lower case on the wire (HTTP/2 headers). */
  static final String METADATA_KEY = "x-api-key";

  private final KeyRing keys;

  CallerKey(KeyRing keys) {
    this.keys = keys;
  }

  /**
   * @throws ClientProblem 401 or 403 when the call may not go on, UNAUTHENTICATED or PERMISSION_DENIED to gRPC
   */
  ApiKey require(MultiMap headers, Scope scope) {
    ApiKey key = keys.current().find(headers.get(METADATA_KEY));
    if (key == null) {
      throw ClientProblem.of(401, "A valid x-api-key is required");
    }
    if (!key.allows(scope)) {
      throw ClientProblem.of(403,
          "The key '" + key.name() + "' lacks the '" + scope.label() + "' scope");
    }
    return key;
  }
}
