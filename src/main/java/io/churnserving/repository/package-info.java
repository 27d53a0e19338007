/**
 * The model repository: version folders ({@code <name>/<version>/} with {@code model.onnx}, {@code metadata.json}
 * and {@code schema.json}) turned into loaded, checked and warmed {@link io.churnserving.repository.ModelVersion}s.
 * Each version brings its own shape: the schema its requests are validated with, the columns its rows are encoded
 * into, the thresholds and texts its answers are made with. Above {@code model} and {@code validation}, below the
 * transports.
 */
package io.churnserving.repository;
