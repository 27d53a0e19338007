/**
 * TLS for the listeners: the certificate and key read from PEM files and checked to belong together at start, then
 * read again every few seconds and served to new connections when they change. Vert.x does the TLS itself; nothing
 * here touches the wire.
 */
package io.churnserving.tls;
