/** API-key authentication, free of any transport: constant-time comparison of SHA-256 digests. */
package io.churnserving.security;
