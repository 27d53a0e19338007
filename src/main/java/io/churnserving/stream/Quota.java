package io.churnserving.stream;

import io.churnserving.ratelimit.Decision;

/** The connection's key's rate limit: each message takes one token, as each HTTP request does. */
@FunctionalInterface
interface Quota {
  Decision take();
}
