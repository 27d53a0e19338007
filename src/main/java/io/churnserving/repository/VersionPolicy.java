package io.churnserving.repository;

import java.util.Collections;
import java.util.List;
import java.util.NavigableSet;
import java.util.TreeSet;

/**
 * Which of a model's versions are served, as TF Serving and Triton say it: the newest {@code n}, all of them, or a
 * given list. Written {@code latest:2}, {@code all} or {@code specific:1,3}.
 */
public sealed interface VersionPolicy {

  /** The versions to serve out of those present in the repository. */
  NavigableSet<Long> select(NavigableSet<Long> present);

  /** The newest {@code count} versions. */
  record Latest(int count) implements VersionPolicy {
    public Latest {
      if (count < 1) {
        throw new IllegalArgumentException("latest needs a count of at least 1");
      }
    }

    @Override
    public NavigableSet<Long> select(NavigableSet<Long> present) {
      NavigableSet<Long> out = new TreeSet<>();
      for (Long v : present.descendingSet()) {
        if (out.size() == count) {
          break;
        }
        out.add(v);
      }
      return out;
    }

    @Override
    public String toString() {
      return "latest:" + count;
    }
  }

  /** Every version present. */
  record All() implements VersionPolicy {
    @Override
    public NavigableSet<Long> select(NavigableSet<Long> present) {
      return new TreeSet<>(present);
    }

    @Override
    public String toString() {
      return "all";
    }
  }

  /** The versions listed, those of them that are present. */
  record Specific(List<Long> versions) implements VersionPolicy {
    public Specific {
      if (versions.isEmpty()) {
        throw new IllegalArgumentException("specific needs at least one version");
      }
      versions = List.copyOf(versions);
    }

    @Override
    public NavigableSet<Long> select(NavigableSet<Long> present) {
      NavigableSet<Long> out = new TreeSet<>(versions);
      out.retainAll(present);
      return out;
    }

    @Override
    public String toString() {
      return "specific:" + String.join(",", versions.stream().map(String::valueOf).toList());
    }
  }

  /**
   * Reads {@code latest:N}, {@code latest} (one), {@code all} or {@code specific:V[,V...]}.
   *
   * @throws IllegalArgumentException saying what is accepted
   */
  static VersionPolicy parse(String text) {
    String t = text.trim();
    try {
      if (t.equals("all")) {
        return new All();
      }
      if (t.equals("latest")) {
        return new Latest(1);
      }
      if (t.startsWith("latest:")) {
        return new Latest(Integer.parseInt(t.substring(7).trim()));
      }
      if (t.startsWith("specific:")) {
        List<Long> versions = new java.util.ArrayList<>();
        for (String v : t.substring(9).split(",")) {
          versions.add(ModelRepository.version(v.trim()));
        }
        Collections.sort(versions);
        return new Specific(versions);
      }
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("version policy '" + text + "': " + e.getMessage());
    }
    throw new IllegalArgumentException("version policy '" + text
        + "' is not one of latest:<count>, all, specific:<version>[,<version>...]");
  }
}
