package io.churnserving.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import io.churnserving.grpc.proto.GRPCInferenceServiceGrpc;
import io.churnserving.grpc.proto.GRPCInferenceServiceGrpc.GRPCInferenceServiceBlockingStub;
import io.churnserving.support.Faults;
import io.churnserving.support.TestServer;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.MetadataUtils;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * The model's faults as a gRPC client sees them, injected into the real server's model calls: the server's deadline
 * passed is DEADLINE_EXCEEDED, an open circuit UNAVAILABLE with {@code retry-after}, a failing model INTERNAL that
 * says nothing of the failure; the same statuses in band on the stream.
 */
class GrpcFaultsTest {
  private static final Metadata.Key<String> RETRY_AFTER = Metadata.Key.of("retry-after",
      Metadata.ASCII_STRING_MARSHALLER);

  private static StatusRuntimeException refusal(GRPCInferenceServiceBlockingStub stub) {
    try {
      stub.modelInfer(io.churnserving.support.GrpcRows.row("f", 24));
    } catch (StatusRuntimeException e) {
      return e;
    }
    throw new AssertionError("the call succeeded");
  }

  @Test
  void aStalledModelIsDeadlineExceededThenTheOpenCircuitUnavailableWithRetryAfter() throws Exception {
    Faults faults = new Faults();
    try (TestServer server = TestServer.startWithFaults(faults, "CIRCUIT_MAX_FAILURES", "2",
        "CIRCUIT_RESET_MS", "60000", "SCORING_TIMEOUT_MS", "200")) {
      ManagedChannel channel = ManagedChannelBuilder.forAddress("127.0.0.1", server.port()).usePlaintext().build();
      try {
        Metadata key = new Metadata();
        key.put(Metadata.Key.of("x-api-key", Metadata.ASCII_STRING_MARSHALLER), TestServer.KEY);
        var trailers = new AtomicReference<Metadata>();
        var stub = GRPCInferenceServiceGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS)
            .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(key),
                MetadataUtils.newCaptureMetadataInterceptor(new AtomicReference<>(), trailers));
        faults.stall();
        // The client allowed 30 s: the status is the server's, at its own deadline.
        assertThat(refusal(stub).getStatus().getCode()).isEqualTo(Status.Code.DEADLINE_EXCEEDED);
        assertThat(refusal(stub).getStatus().getCode()).isEqualTo(Status.Code.DEADLINE_EXCEEDED);
        StatusRuntimeException open = refusal(stub);
        assertThat(open.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
        assertThat(Long.parseLong(trailers.get().get(RETRY_AFTER))).isPositive();
        faults.release();
      } finally {
        channel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
      }
    }
  }

  @Test
  void aFailingModelIsInternalAndSaysNothingOfTheFailure() throws Exception {
    Faults faults = new Faults();
    try (TestServer server = TestServer.startWithFaults(faults, "CIRCUIT_MAX_FAILURES", "100")) {
      ManagedChannel channel = ManagedChannelBuilder.forAddress("127.0.0.1", server.port()).usePlaintext().build();
      try {
        Metadata key = new Metadata();
        key.put(Metadata.Key.of("x-api-key", Metadata.ASCII_STRING_MARSHALLER), TestServer.KEY);
        var stub = GRPCInferenceServiceGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS)
            .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(key));
        faults.failing();
        StatusRuntimeException failed = refusal(stub);
        assertThat(failed.getStatus().getCode()).isEqualTo(Status.Code.INTERNAL);
        assertThat(failed.getStatus().getDescription()).isEqualTo("Internal error");
      } finally {
        channel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
      }
    }
  }
}
