/**
 * The TCP event-bus bridge for clients outside the JVM (Python, Node...): the wire protocol of
 * vertx-tcp-eventbus-bridge (a 4-byte big-endian length, then a JSON frame), served on a port of its own, with the
 * HTTP API's keys, scopes and rate limits, an allow-list of addresses, and bounds on what a client can make the
 * server hold.
 */
package io.churnserving.bridge;
