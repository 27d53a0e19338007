package io.churnserving.bench;

/**
 * The machine the load generator ran on, as the reports record it: a figure means little without the cores and the
 * JVM behind it. It is the load generator's machine; the harness aims at loopback unless told otherwise
 * ({@code --allow-remote}), so in such runs it is the server's too, and the two share its cores.
 *
 * @param cores what {@link Runtime#availableProcessors()} says: the cores this JVM may use, limits included
 */
record Machine(int cores, String jvmName, String javaVersion, String osName, String osVersion, String osArch) {

  static Machine current() {
    return new Machine(Runtime.getRuntime().availableProcessors(), System.getProperty("java.vm.name", "unknown"),
        System.getProperty("java.version", "unknown"), System.getProperty("os.name", "unknown"),
        System.getProperty("os.version", "unknown"), System.getProperty("os.arch", "unknown"));
  }

  /** "2 cores, OpenJDK 64-Bit Server VM 17.0.13, Linux 6.1.0 amd64". */
  String describe() {
    return cores + (cores == 1 ? " core, " : " cores, ") + jvmName + " " + javaVersion + ", " + osName + " "
        + osVersion + " " + osArch;
  }

  /** Whose machine this is, given where the target was. */
  static String whose(boolean loopbackTarget) {
    return loopbackTarget ? "the load generator's, which is also the server's: the target is on loopback"
        : "the load generator's; the server runs on another machine";
  }
}
