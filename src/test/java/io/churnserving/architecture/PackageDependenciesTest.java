package io.churnserving.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Keeps dependencies pointing one way, by scanning the imports of the main sources. */
class PackageDependenciesTest {
  private static final Path MAIN = Path.of("src/main/java/io/churnserving");

  private static List<String> violations(String importPrefix, List<String> allowedPackages) throws IOException {
    List<String> found = new ArrayList<>();
    try (Stream<Path> files = Files.walk(MAIN)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
        String pkg = MAIN.relativize(file.getParent()).toString().replace('/', '.');
        if (allowedPackages.contains(pkg)) {
          continue;
        }
        for (String line : Files.readAllLines(file)) {
          if (line.startsWith("import " + importPrefix) || line.startsWith("import static " + importPrefix)) {
            found.add(file + ": " + line);
          }
        }
      }
    }
    return found;
  }

  /** Imports of {@code importPrefix} in the one package {@code pkg}. */
  private static List<String> importsIn(String pkg, String importPrefix) throws IOException {
    List<String> found = new ArrayList<>();
    try (Stream<Path> files = Files.list(MAIN.resolve(pkg))) {
      for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
        Files.readAllLines(file).stream().filter(l -> l.startsWith("import " + importPrefix))
            .forEach(l -> found.add(file + ": " + l));
      }
    }
    return found;
  }

  @Test
  void onlyModelAndScoringImportDjl() throws IOException {
    assertThat(violations("ai.djl", List.of("model"))).isEmpty();
  }

  @Test
  void onlyTransportsImportVertxWeb() throws IOException {
    assertThat(violations("io.vertx.ext.web", List.of("http", "stream", "bench"))).isEmpty();
  }

  @Test
  void nothingBelowTheTransportsImportsThem() throws IOException {
    for (String transport : List.of("io.churnserving.http", "io.churnserving.stream", "io.churnserving.bus",
        "io.churnserving.grpc", "io.churnserving.bridge", "io.churnserving.app")) {
      // The load harness speaks the gRPC protocol as any client does: its messages are the protocol's, not the
      // transport's code.
      assertThat(violations(transport, List.of("app", "http", "stream", "bus", "grpc", "bridge")))
          .filteredOn(v -> !(v.contains("/bench/") && v.contains("import io.churnserving.grpc.proto.")))
          .as(transport).isEmpty();
    }
  }

  /**
   * The gRPC server and its generated messages belong to the gRPC transport, which the HTTP listener hosts. The load
   * harness is a client of the service: it may use the messages and Vert.x's gRPC client, never the server.
   */
  @Test
  void onlyTheGrpcTransportAndItsHostImportVertxGrpc() throws IOException {
    assertThat(violations("io.vertx.grpc.server", List.of("grpc"))).isEmpty();
    assertThat(violations("io.vertx.grpc", List.of("grpc", "bench"))).isEmpty();
    assertThat(violations("io.churnserving.grpc.proto", List.of("grpc", "bench"))).isEmpty();
  }

  @Test
  void theModelKnowsNothingOfScoringBatchingOrTransports() throws IOException {
    List<String> found = new ArrayList<>();
    for (String higher : List.of("scoring", "batching", "validation", "errors", "events", "http", "stream", "bus",
        "app")) {
      found.addAll(importsIn("model", "io.churnserving." + higher));
    }
    assertThat(found).isEmpty();
  }

  /**
   * Vert.x's internal API in three places only: registering the context-local keys, the scorer's switch to each
   * request's own context ({@code ContextInternal.emit}, which runs at once on the same event loop where the
   * public {@code runOnContext} queues a task per request; with the body-timeout sweep, +15% on {@code /predict}),
   * and the stream's TCP close of a client that does not read (every public close waits behind the unread answers,
   * and vertx-web hides Vert.x's own WebSocket, so the channel comes from the connection's implementation class).
   */
  @Test
  void noInternalVertxApiOutsideTheContextLocalRegistrationTheScorersContextSwitchAndTheStreamsTcpClose()
      throws IOException {
    List<String> found = violations("io.vertx.core.internal", List.of());
    found.addAll(violations("io.vertx.core.net.impl", List.of()));
    found.addAll(violations("io.vertx.core.http.impl", List.of()));
    found.addAll(violations("io.vertx.core.impl", List.of()));
    assertThat(found).allMatch(v -> v.contains("CorrelationStorage.java: import io.vertx.core.internal.VertxBootstrap;")
        || v.contains("BatchingScorer.java: import io.vertx.core.internal.ContextInternal;")
        || v.contains("net/TcpClose.java: import io.vertx.core.net.impl.ConnectionBase;")
        || v.contains("net/Utf8Frames.java: import io.vertx.core.net.impl.ConnectionBase;"));
  }
}
