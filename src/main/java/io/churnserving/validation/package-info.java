/**
 * Request parsing and validation, shared by every transport (HTTP, WebSocket, event bus), with no transport in it:
 * no vertx-web, only vertx-core's JSON types.
 *
 * <ul>
 *   <li>{@link io.churnserving.validation.JsonBodyParser}: bytes to one JSON value, strictly (UTF-8 only, no
 *       duplicate keys, bounded depth and lengths); failure is a
 *       {@link io.churnserving.validation.MalformedJsonException}, a 400.</li>
 *   <li>{@link io.churnserving.validation.RequestValidator}: a parsed instance or batch to
 *       {@link io.churnserving.validation.Instance} values, or every
 *       {@link io.churnserving.validation.FieldError} at once in Pydantic v2's types and messages, as a
 *       {@link io.churnserving.validation.Validated} outcome or a
 *       {@link io.churnserving.validation.RequestValidationException}, a 422.</li>
 * </ul>
 *
 * <p>The request's shape has one description, the model version's {@code schema.json} (JSON Schema 2020-12, plus
 * the {@code x-at-least} and {@code x-round-decimals} rules it cannot state), which the API documents show as-is.
 * Nothing here names a model's field. It is compiled into a direct checker when the version loads rather than run through
 * vertx-json-schema on each request: the general validator took about 10 µs per valid instance, the compiled
 * one well under 0.1 µs, and a test keeps the two agreeing on the same file.
 *
 * <p>Depends on {@code model} only for the row interface the scorer reads and the metadata whose columns a schema
 * must cover.
 */
package io.churnserving.validation;
