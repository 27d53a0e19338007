/**
 * Observability: the request's correlation ID in Vert.x context-local data (the counterpart of Python's contextvars),
 * JSON log lines that carry it, and the server's readiness. Depends on vertx-core and Logback only.
 */
package io.churnserving.observability;
