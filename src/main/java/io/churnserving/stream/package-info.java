/**
 * The WebSocket transport: prediction streams on {@code /v1/models/churn/stream}. Many messages in flight per
 * connection, answers by id, per-message errors, and backpressure. Shares validation, scoring (and so the
 * micro-batcher) and problem mapping with HTTP; depends on no other transport.
 */
package io.churnserving.stream;
