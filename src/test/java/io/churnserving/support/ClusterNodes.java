package io.churnserving.support;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/**
 * Real JVMs of one cluster on loopback, each in a role: a cluster name of its own (so two test classes never meet),
 * Hazelcast ports picked free, every node joining the first HTTP node's member. Small heaps and the C1 compiler
 * only: several JVMs share CI's two cores.
 */
public final class ClusterNodes {
  /** Small heap, quick start, and an exit rather than a limp on OutOfMemoryError. */
  public static final String[] JVM = {"-Xmx192m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
      "-XX:+ExitOnOutOfMemoryError"};

  private final String name = "test-" + UUID.randomUUID();
  private final int seedPort;

  public ClusterNodes() throws IOException {
    this.seedPort = freePort();
  }

  /** The cluster's name, for a process that joins it another way (the example subscriber). */
  public String name() {
    return name;
  }

  /** The first member's {@code host:port}, what {@code CLUSTER_MEMBERS} names. */
  public String seed() {
    return "127.0.0.1:" + seedPort;
  }

  /** The settings of a node of this cluster, in {@code role}, with its own Hazelcast port. */
  public Map<String, String> env(String role, boolean seed) throws IOException {
    Map<String, String> env = new HashMap<>();
    env.put("NODE_ROLE", role);
    env.put("CLUSTER_ENABLED", "true");
    env.put("CLUSTER_HOST", "127.0.0.1");
    env.put("CLUSTER_NAME", name);
    env.put("CLUSTER_PORT", "0");
    env.put("CLUSTER_HAZELCAST_PORT", Integer.toString(seed ? seedPort : freePort()));
    env.put("CLUSTER_MEMBERS", seed());
    env.put("SHUTDOWN_GRACE_MS", "0");
    env.put("EVENTS_SAMPLE_PERCENT", "0");
    if (role.equals("scoring")) {
      env.put("MANAGEMENT_PORT", "0");
    }
    return env;
  }

  /** Starts the HTTP node that the others join, and waits until it listens. */
  public ServerProcess http(String... overrides) throws Exception {
    return ServerProcess.start(with(env("http", true), overrides), JVM);
  }

  /** Starts a scoring node, and waits until it listens (its health and metrics port is its {@code port()}). */
  public ServerProcess scoring(String... overrides) throws Exception {
    return ServerProcess.start(with(env("scoring", false), overrides), JVM);
  }

  private static Map<String, String> with(Map<String, String> env, String... overrides) {
    for (int i = 0; i < overrides.length; i += 2) {
      env.put(overrides[i], overrides[i + 1]);
    }
    return env;
  }

  /** A port free now on loopback; Hazelcast takes it exactly (no auto-increment). */
  public static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }
}
