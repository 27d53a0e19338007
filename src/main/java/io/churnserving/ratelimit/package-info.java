/**
 * Per-key rate limits: a token bucket for each named API key, shared by every event loop and transport, so a key's
 * quota is the same whether it sends HTTP requests or stream messages. Pure: time comes from a clock passed in.
 */
package io.churnserving.ratelimit;
