/**
 * Configuration: built-in defaults, then {@code conf/config.json}, then environment variables, merged once at start
 * into immutable records and checked before anything else starts. Depends on nothing else in the server.
 */
package io.churnserving.config;
