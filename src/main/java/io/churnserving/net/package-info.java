/**
 * What the transports share about their connections below HTTP and WebSocket: closing a socket whose client does not
 * read. The one place that reaches under Vert.x's public API, and says why.
 */
package io.churnserving.net;
