/**
 * Problem details (RFC 9457): the one place where a typed failure becomes a status, a title and a body, for HTTP,
 * WebSocket and event-bus answers alike. Depends on {@code validation} and {@code scoring}; no transport.
 */
package io.churnserving.errors;
