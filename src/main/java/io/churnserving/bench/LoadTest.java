package io.churnserving.bench;

/** Load-test harness entry point (placeholder until the harness lands). */
public final class LoadTest {
  private LoadTest() {
  }

  public static int run(String[] args) {
    System.err.println("the load-test harness is not built yet");
    return 2;
  }

  public static void main(String[] args) {
    System.exit(run(args));
  }
}
