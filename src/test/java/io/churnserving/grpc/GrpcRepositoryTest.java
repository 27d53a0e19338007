package io.churnserving.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.churnserving.grpc.proto.GRPCInferenceServiceGrpc;
import io.churnserving.grpc.proto.GRPCInferenceServiceGrpc.GRPCInferenceServiceBlockingStub;
import io.churnserving.grpc.proto.ModelInferResponse;
import io.churnserving.grpc.proto.ModelReadyRequest;
import io.churnserving.grpc.proto.ModelRepositoryParameter;
import io.churnserving.grpc.proto.RepositoryIndexRequest;
import io.churnserving.grpc.proto.RepositoryModelLoadRequest;
import io.churnserving.grpc.proto.RepositoryModelUnloadRequest;
import io.churnserving.support.Models;
import io.churnserving.support.TestServer;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.MetadataUtils;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The repository extension over gRPC with {@code MODEL_CONTROL_MODE=explicit}: a model unloaded and loaded again,
 * and a load that moves a label, each seen by the inference calls that follow.
 */
class GrpcRepositoryTest {
  private static final Metadata.Key<String> API_KEY = Metadata.Key.of("x-api-key", Metadata.ASCII_STRING_MARSHALLER);

  @TempDir
  Path repo;

  private TestServer start() throws Exception {
    Models.copyOfV1(repo, 1);
    Models.copyOfV1(repo, 2);
    Map<String, String> env = TestServer.baseEnv();
    env.put("MODELS_DIR", repo.toString());
    env.put("CONFIG_PATH", Files.writeString(repo.resolve("config.json"), "{}").toString());
    env.put("MODEL_CONTROL_MODE", "explicit");
    env.put("MODEL_VERSION_POLICY", "all");
    env.put("MODEL_LABELS", "stable=1");
    return TestServer.start(env);
  }

  private static GRPCInferenceServiceBlockingStub stub(ManagedChannel channel) {
    Metadata headers = new Metadata();
    headers.put(API_KEY, TestServer.KEY);
    return GRPCInferenceServiceGrpc.newBlockingStub(channel).withDeadlineAfter(60, TimeUnit.SECONDS)
        .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers));
  }

  private static String servedVersion(GRPCInferenceServiceBlockingStub stub) {
    ModelInferResponse answer = stub.modelInfer(io.churnserving.support.GrpcRows.row("r", 24));
    return answer.getModelVersion();
  }

  @Test
  void aModelUnloadedAndLoadedAgainOverGrpcAndALoadThatMovesALabel() throws Exception {
    try (TestServer server = start()) {
      ManagedChannel channel = ManagedChannelBuilder.forAddress("127.0.0.1", server.port()).usePlaintext().build();
      try {
        var stub = stub(channel);
        assertThat(servedVersion(stub)).isEqualTo("1");

        stub.repositoryModelUnload(RepositoryModelUnloadRequest.newBuilder().setModelName("churn").build());
        assertThat(stub.modelReady(ModelReadyRequest.newBuilder().setName("churn").build()).getReady()).isFalse();
        assertThatThrownBy(() -> servedVersion(stub)).isInstanceOfSatisfying(StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isIn(Status.Code.UNAVAILABLE, Status.Code.NOT_FOUND));

        stub.repositoryModelLoad(RepositoryModelLoadRequest.newBuilder().setModelName("churn")
            .putParameters("labels", ModelRepositoryParameter.newBuilder().setStringParam("{\"stable\": 2}").build())
            .build());
        assertThat(stub.modelReady(ModelReadyRequest.newBuilder().setName("churn").build()).getReady()).isTrue();
        assertThat(servedVersion(stub)).isEqualTo("2");
        assertThat(stub.repositoryIndex(RepositoryIndexRequest.newBuilder().setReady(true).build())
            .getModelsList()).hasSize(2);

        assertThatThrownBy(() -> stub.repositoryModelLoad(RepositoryModelLoadRequest.newBuilder()
            .setModelName("churn").putParameters("labels", ModelRepositoryParameter.newBuilder()
                .setStringParam("{\"9x\": 1}").build()).build())).isInstanceOfSatisfying(
            StatusRuntimeException.class, e -> {
              assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
              assertThat(e.getStatus().getDescription()).contains("labels.9x");
            });
        assertThatThrownBy(() -> stub.repositoryModelLoad(RepositoryModelLoadRequest.newBuilder()
            .setModelName("nope").build())).isInstanceOfSatisfying(StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isNotEqualTo(Status.Code.INTERNAL));
      } finally {
        channel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
      }
    }
  }
}
