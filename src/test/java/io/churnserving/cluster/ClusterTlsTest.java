package io.churnserving.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.churnserving.support.ClusterNodes;
import io.churnserving.support.Faults;
import io.churnserving.support.ServerProcess;
import io.vertx.core.net.SelfSignedCertificate;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * TLS on the clustered event bus, with real JVMs: nodes holding certificates their peers trust score through the
 * cluster; a node whose certificate they do not trust joins Hazelcast's membership but no event-bus connection, so it
 * is never announced to the HTTP node and gets no batch. Throwaway self-signed certificates, made at test time.
 */
class ClusterTlsTest {
  @TempDir
  Path dir;

  /** A self-signed certificate and its key as PEM files: the node's identity, and the CA its peers trust. */
  private String[] pair(String name) throws Exception {
    SelfSignedCertificate generated = SelfSignedCertificate.create(name);
    try {
      Path cert = Files.copy(Path.of(generated.certificatePath()), dir.resolve(name + ".crt"));
      Path key = Files.copy(Path.of(generated.privateKeyPath()), dir.resolve(name + ".key"));
      return new String[] {cert.toString(), key.toString()};
    } finally {
      generated.delete();
    }
  }

  private static String[] tls(String[] own, String[] trusted) {
    return new String[] {"CLUSTER_TLS_CERT_PATH", own[0], "CLUSTER_TLS_KEY_PATH", own[1], "CLUSTER_TLS_CA_PATH",
        trusted[0]};
  }

  @Test
  void trustedNodesScoreOverTlsAndAnUntrustedOneGetsNoBatch() throws Exception {
    String[] cluster = pair("cluster.test");
    String[] stranger = pair("stranger.test");
    ClusterNodes nodes = new ClusterNodes();
    try (ServerProcess http = nodes.http(tls(cluster, cluster));
         ServerProcess scoring = nodes.scoring(tls(cluster, cluster))) {
      Faults.eventually(() -> http.status("/health/ready") == 200);
      for (int i = 0; i < 20; i++) {
        assertThat(http.predict()).isEqualTo(200);
      }
      try (ServerProcess untrusted = nodes.scoring(tls(stranger, stranger))) {
        // Its announcements (every 500 ms) cannot reach the HTTP node: give it ten of them.
        Thread.sleep(5_000);
        assertThat(http.stdout().lines().filter(l -> l.contains("Scoring node joined")).count()).isEqualTo(1);
        double before = untrusted.metric("inference_duration_seconds_count");
        for (int i = 0; i < 20; i++) {
          assertThat(http.predict()).isEqualTo(200);
        }
        assertThat(untrusted.metric("inference_duration_seconds_count")).isEqualTo(before);
      }
    }
  }
}
