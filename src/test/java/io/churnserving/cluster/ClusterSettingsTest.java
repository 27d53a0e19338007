package io.churnserving.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.churnserving.app.Main;
import io.churnserving.support.ClusterNodes;
import io.churnserving.support.JavaProcess;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A node given a cluster setting it cannot use exits 1 at start, with one line naming the setting. */
class ClusterSettingsTest {
  private static Map<String, String> env(String... pairs) throws Exception {
    Map<String, String> env = new HashMap<>(Map.of("CONFIG_PATH", "conf/config.json", "HTTP_PORT", "0",
        "CLUSTER_NAME", "settings-" + System.nanoTime(), "CLUSTER_HAZELCAST_PORT",
        Integer.toString(ClusterNodes.freePort())));
    for (int i = 0; i < pairs.length; i += 2) {
      env.put(pairs[i], pairs[i + 1]);
    }
    return env;
  }

  /** The one line the start failure printed. */
  private static String failure(Map<String, String> env) throws Exception {
    JavaProcess.Result result = JavaProcess.run(Main.class.getName(), env, ClusterNodes.JVM);
    assertThat(result.exitCode()).as(result.stdout() + result.stderr()).isEqualTo(1);
    List<String> lines = result.stderr().lines().filter(l -> l.startsWith("Cannot start:")).toList();
    assertThat(lines).as(result.stderr()).hasSize(1);
    return lines.get(0);
  }

  @Test
  void aRoleThatNeedsTheClusterWithoutItIsNamed() throws Exception {
    assertThat(failure(env("NODE_ROLE", "scoring"))).contains("NODE_ROLE").contains("CLUSTER_ENABLED");
  }

  @Test
  void anUnknownRoleIsNamed() throws Exception {
    assertThat(failure(env("NODE_ROLE", "gateway"))).contains("NODE_ROLE").contains("all, http or scoring");
  }

  @Test
  void anAddressOfAnotherMachineIsNamed() throws Exception {
    assertThat(failure(env("CLUSTER_ENABLED", "true", "CLUSTER_HOST", "192.0.2.1")))
        .contains("CLUSTER_HOST").contains("192.0.2.1");
  }

  @Test
  void aMemberThatIsNotIpAndPortIsNamed() throws Exception {
    assertThat(failure(env("CLUSTER_ENABLED", "true", "CLUSTER_MEMBERS", "127.0.0.1:5701,node-b")))
        .contains("CLUSTER_MEMBERS").contains("node-b");
  }

  @Test
  void aHazelcastPortAlreadyTakenIsNamed() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      assertThat(failure(env("CLUSTER_ENABLED", "true", "CLUSTER_HOST", "127.0.0.1",
          "CLUSTER_HAZELCAST_PORT", Integer.toString(taken.getLocalPort()))))
          .contains("CLUSTER_HAZELCAST_PORT").contains(Integer.toString(taken.getLocalPort()));
    }
  }
}
