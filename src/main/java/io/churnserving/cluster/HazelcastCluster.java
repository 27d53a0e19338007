package io.churnserving.cluster;

import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.MapConfig;
import com.hazelcast.config.MultiMapConfig;
import com.hazelcast.config.NetworkConfig;
import io.churnserving.config.ServerConfig;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.util.function.Consumer;

/**
 * The Hazelcast member a clustered node runs, configured here from the settings and nothing else: no
 * {@code cluster.xml} on the class path is read. Membership is by TCP/IP to the listed members only: multicast and
 * every cloud auto-detection are off, as is Hazelcast's phone-home, so a node never reaches beyond the addresses
 * it was given. Hazelcast's own shutdown hook is off too: on SIGTERM the server drains first and then leaves the
 * cluster as {@code vertx.close()} does; the hook would leave at once.
 */
public final class HazelcastCluster {
  /** Hazelcast settings the event bus needs, as vertx-hazelcast's default-cluster.xml has them. */
  private static final String SUBS = "__vertx.subs";

  private final HazelcastClusterManager manager;

  private HazelcastCluster(HazelcastClusterManager manager) {
    this.manager = manager;
  }

  /** The member for these settings; it joins when the clustered {@code Vertx} is built with {@link #manager()}. */
  public static HazelcastCluster of(ServerConfig.Cluster settings) {
    return of(settings, false);
  }

  /**
   * @param lite a lite member: in the cluster and on its event bus, but holding none of Hazelcast's data, so that it
   *             can come and go (a subscriber) without the data moving
   */
  public static HazelcastCluster of(ServerConfig.Cluster settings, boolean lite) {
    // Read before the member starts; a system property also covers the phone-home check of Hazelcast's client code.
    System.setProperty("hazelcast.phone.home.enabled", "false");
    System.setProperty("hazelcast.logging.type", "slf4j");
    Config config = new Config();
    config.setClusterName(settings.name());
    config.setProperty("hazelcast.phone.home.enabled", "false");
    config.setProperty("hazelcast.logging.type", "slf4j");
    config.setProperty("hazelcast.shutdownhook.enabled", "false");
    config.setProperty("hazelcast.socket.bind.any", "false");
    // A first member does not wait 5 s for others before it forms its own cluster.
    config.setProperty("hazelcast.wait.seconds.before.join", "0");
    // A member that stops answering (hung, cut off) is removed within seconds; one that was killed is seen at once,
    // its connection refused, and removed after a few failed reconnects.
    config.setProperty("hazelcast.heartbeat.interval.seconds", "1");
    config.setProperty("hazelcast.max.no.heartbeat.seconds", "5");
    config.setProperty("hazelcast.connection.monitor.interval", "100");
    config.setProperty("hazelcast.connection.monitor.max.faults", "2");
    config.getJetConfig().setEnabled(false);
    config.setLiteMember(lite);
    NetworkConfig network = config.getNetworkConfig();
    network.setPort(settings.hazelcastPort()).setPortAutoIncrement(false)
        .setPublicAddress(settings.host() + ":" + settings.hazelcastPort());
    network.getInterfaces().setEnabled(true).addInterface(settings.host());
    network.getRestApiConfig().setEnabled(false);
    JoinConfig join = network.getJoin();
    join.getMulticastConfig().setEnabled(false);
    join.getAutoDetectionConfig().setEnabled(false);
    join.getAwsConfig().setEnabled(false);
    join.getGcpConfig().setEnabled(false);
    join.getAzureConfig().setEnabled(false);
    join.getKubernetesConfig().setEnabled(false);
    join.getEurekaConfig().setEnabled(false);
    join.getTcpIpConfig().setEnabled(true).addMember(settings.host() + ":" + settings.hazelcastPort());
    settings.members().forEach(m -> join.getTcpIpConfig().addMember(m));
    config.addMultiMapConfig(new MultiMapConfig(SUBS).setBackupCount(1)
        .setValueCollectionType(MultiMapConfig.ValueCollectionType.SET));
    config.addMapConfig(new MapConfig("__vertx.haInfo").setBackupCount(1));
    config.addMapConfig(new MapConfig("__vertx.nodeInfo").setBackupCount(1));
    return new HazelcastCluster(new HazelcastClusterManager(config));
  }

  /** What to build the clustered {@code Vertx} with. */
  public HazelcastClusterManager manager() {
    return manager;
  }

  /** The event bus's own TCP listener: on the node's address, on its port (0: any free one). */
  public static VertxOptions options(VertxOptions base, ServerConfig.Cluster settings) {
    VertxOptions options = new VertxOptions(base);
    EventBusOptions bus = new EventBusOptions(options.getEventBusOptions()).setHost(settings.host())
        .setPort(settings.busPort()).setClusterPublicHost(settings.host());
    if (settings.tls().enabled()) {
      // Mutual TLS: the bus's listener asks every peer for a certificate chaining to the CA, and its client presents
      // this node's. Hazelcast's own membership traffic is not encrypted (that is its enterprise edition's); it
      // carries the members and the bus's table of who consumes which address, never a row or a prediction.
      bus.setSsl(true).setClientAuth(io.vertx.core.http.ClientAuth.REQUIRED)
          .setKeyCertOptions(new io.vertx.core.net.PemKeyCertOptions()
              .setCertPath(settings.tls().certPath().toString()).setKeyPath(settings.tls().keyPath().toString()))
          .setTrustOptions(new io.vertx.core.net.PemTrustOptions().addCertPath(settings.tls().caPath().toString()));
    }
    options.setEventBusOptions(bus);
    return options;
  }

  /** This node's id: its Hazelcast member's UUID, which the other nodes see when it leaves. Once joined. */
  public String nodeId() {
    return manager.getHazelcastInstance().getCluster().getLocalMember().getUuid().toString();
  }

  /** Calls {@code left} with the id of every member that leaves or is removed, on a Hazelcast thread. */
  public void onNodeLeft(Consumer<String> left) {
    manager.getHazelcastInstance().getCluster().addMembershipListener(new MembershipListener() {
      @Override
      public void memberAdded(MembershipEvent event) {
      }

      @Override
      public void memberRemoved(MembershipEvent event) {
        left.accept(event.getMember().getUuid().toString());
      }
    });
  }
}
