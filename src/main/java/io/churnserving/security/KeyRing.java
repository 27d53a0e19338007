package io.churnserving.security;

import io.churnserving.config.ConfigException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The key set in force. The configured keys are fixed; the key file's keys are read again by {@link #reload()},
 * and a file that no longer parses leaves the previous set in force. Thread-safe: every event loop reads
 * {@link #current()}, and a reload swaps the whole set at once.
 *
 * <p>Each reload that takes in a changed file bumps {@link #generation()}, so a long-lived connection can check its key
 * again only when the keys changed: one volatile read per message otherwise.
 */
public final class KeyRing {
  private final List<String> configured;
  private final Path file;
  private volatile ApiKeys current;
  private volatile String lastText;
  // Written by one reload at a time (KeyFileWatcher waits for each to finish), after current: whoever reads a new
  // generation then reads the keys of that generation or newer.
  private volatile long generation;

  private KeyRing(List<String> configured, Path file) {
    this.configured = List.copyOf(configured);
    this.file = file;
  }

  /**
   * Loads the configured keys and the key file, if any. Reads a file: call it off the event loop.
   *
   * @param file the key file, or null
   * @throws ConfigException when the file is missing or malformed
   */
  public static KeyRing load(List<String> configured, Path file) {
    KeyRing ring = new KeyRing(configured, file);
    String text = file == null ? null : ring.read();
    ring.current = ApiKeys.of(configured, text);
    ring.lastText = text;
    return ring;
  }

  /** A fixed key set with no file, for tests and embedders. */
  public static KeyRing of(ApiKeys keys) {
    KeyRing ring = new KeyRing(List.of(), null);
    ring.current = keys;
    return ring;
  }

  public ApiKeys current() {
    return current;
  }

  /** Starts at 0 and grows by one each time a reload takes in a changed key file. */
  public long generation() {
    return generation;
  }

  /** The key file, or null when there is none. */
  public Path file() {
    return file;
  }

  /**
   * Reads the key file again and swaps in its keys if it changed. Reads a file: call it off the event loop.
   *
   * @return true if the key set changed
   * @throws ConfigException when the file cannot be read or parsed; the previous keys stay in force
   */
  public boolean reload() {
    if (file == null) {
      return false;
    }
    String text = read();
    if (text.equals(lastText)) {
      return false;
    }
    current = ApiKeys.of(configured, text);
    lastText = text;
    generation = generation + 1;
    return true;
  }

  private String read() {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new ConfigException("cannot read key file " + file + ": " + e.getClass().getSimpleName());
    }
  }
}
