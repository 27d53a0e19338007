package io.churnserving.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.churnserving.support.ClusterNodes;
import io.churnserving.support.JavaProcess;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Start-up, DJL and ONNX Runtime included, opens no connection beyond loopback and looks up no name. */
class NoNetworkTest {
  @Test
  void startUpMakesNoConnection() throws Exception {
    JavaProcess.Result result = JavaProcess.run(NetworkGuardProbe.class.getName(),
        Map.of("HTTP_PORT", "0", "CONFIG_PATH", "conf/config.json"), "-Djava.security.manager=allow");
    assertThat(result.stdout()).as(result.stderr()).contains("CONTROL [192.0.2.1:80]");
    assertThat(result.stdout()).contains("Server ready").contains("ATTEMPTS []");
    assertThat(result.exitCode()).isZero();
  }

  /**
   * A clustered node (Hazelcast's member, the clustered event bus) reaches nothing beyond loopback either: no
   * multicast, no cloud discovery, no phone-home.
   */
  @Test
  void aClusteredStartMakesNoConnectionBeyondLoopback() throws Exception {
    JavaProcess.Result result = JavaProcess.run(NetworkGuardProbe.class.getName(),
        Map.of("HTTP_PORT", "0", "CONFIG_PATH", "conf/config.json", "CLUSTER_ENABLED", "true",
            "CLUSTER_HOST", "127.0.0.1", "CLUSTER_NAME", "no-network-" + System.nanoTime(),
            "CLUSTER_HAZELCAST_PORT", Integer.toString(ClusterNodes.freePort())),
        "-Djava.security.manager=allow");
    assertThat(result.stdout()).as(result.stderr()).contains("CONTROL [192.0.2.1:80]");
    assertThat(result.stdout()).contains("Server ready").contains("ATTEMPTS []");
    assertThat(result.exitCode()).isZero();
  }
}
