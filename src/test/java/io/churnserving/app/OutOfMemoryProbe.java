package io.churnserving.app;

/**
 * Serves exactly as {@link Main} does, except that every model call first asks for an array no heap can hold: a real
 * {@link OutOfMemoryError}, thrown on a scoring worker, for {@code OutOfMemoryExitTest}.
 */
public final class OutOfMemoryProbe {
  private OutOfMemoryProbe() {
  }

  public static void main(String[] args) {
    Main.serve(System.getenv(), real -> (features, rows) -> {
      long[] impossible = new long[Integer.MAX_VALUE - 8];
      impossible[0] = rows; // used, so the allocation is not optimised away
      return real.score(features, rows);
    });
  }
}
