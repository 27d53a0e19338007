package io.churnserving.serving;

/**
 * One line of the repository index: a version present or asked for, its state, and why it is not serving.
 *
 * @param name    the model
 * @param version the version
 * @param state   its state
 * @param reason  why it is {@link VersionState#UNAVAILABLE}; empty otherwise
 */
public record VersionStatus(String name, String version, VersionState state, String reason) {
}
