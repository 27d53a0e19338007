package io.churnserving.security;

import java.util.Set;

/**
 * An accepted key as the server knows it: a name for logs and metrics (the key itself is never logged), its scopes,
 * and its own rate limit.
 *
 * @param name   unique name, such as {@code crm-import}
 * @param scopes what the key may do
 * @param limit  its own limit, or null to use the server default
 */
public record ApiKey(String name, Set<Scope> scopes, RateLimit limit) {
  /** Where the HTTP layer keeps the authenticated key in a request's routing context, for later handlers. */
  public static final String CONTEXT_KEY = "churn.api_key";

  public ApiKey {
    scopes = Set.copyOf(scopes);
  }

  public boolean allows(Scope scope) {
    return scopes.contains(scope);
  }
}
