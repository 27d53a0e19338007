/**
 * Adaptive micro-batching as a pure class: no model, no transport, no locks. It is confined to one Vert.x context
 * (one event loop), so its state is only ever touched by one thread.
 */
package io.churnserving.batching;
