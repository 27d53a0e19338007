/**
 * The WebSocket transport: prediction streams on {@code /v1/models/{model}[/versions/{version}]/stream}, each
 * message scored by the version served when it arrives. Many messages in flight per connection, answers by id, per-message errors, and backpressure. Shares validation, scoring (and so the
 * micro-batcher) and problem mapping with HTTP; depends on no other transport.
 */
package io.churnserving.stream;
