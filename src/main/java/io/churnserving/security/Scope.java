package io.churnserving.security;

import java.util.Locale;

/** What a key may do. Prediction routes need {@link #PREDICT}; operator routes such as the monitor need {@link #ADMIN}. */
public enum Scope {
  PREDICT, ADMIN;

  /** The scope as the key file writes it: {@code predict} or {@code admin}. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  static Scope parse(String label) {
    for (Scope s : values()) {
      if (s.label().equals(label)) {
        return s;
      }
    }
    return null;
  }
}
