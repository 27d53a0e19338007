package io.churnserving.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import io.churnserving.grpc.proto.GRPCInferenceServiceGrpc;
import io.churnserving.grpc.proto.ModelInferRequest;
import io.churnserving.grpc.proto.ModelStreamInferResponse;
import io.churnserving.grpc.proto.ServerLiveRequest;
import io.churnserving.support.GrpcRows;
import io.churnserving.support.TestServer;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Triton's {@code ModelStreamInfer} driven by grpc-java's async stub, as a Java user streams: answers matched by
 * id, failures in band, and a client that stops reading held back by flow control rather than by the server's memory.
 */
class GrpcStreamInferTest {
  private static final Metadata.Key<String> API_KEY = Metadata.Key.of("x-api-key", Metadata.ASCII_STRING_MARSHALLER);
  private static TestServer server;
  private static ManagedChannel channel;

  @BeforeAll
  static void start() {
    server = TestServer.start();
    channel = ManagedChannelBuilder.forAddress("127.0.0.1", server.port()).usePlaintext().build();
  }

  @AfterAll
  static void stop() throws Exception {
    channel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
    server.close();
  }

  private static GRPCInferenceServiceGrpc.GRPCInferenceServiceStub stub(ManagedChannel on, String key) {
    var stub = GRPCInferenceServiceGrpc.newStub(on);
    if (key == null) {
      return stub;
    }
    Metadata headers = new Metadata();
    headers.put(API_KEY, key);
    return stub.withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers));
  }

  /** Collects a stream's answers by id and its end. */
  private static final class Answers implements StreamObserver<ModelStreamInferResponse> {
    final Map<String, ModelStreamInferResponse> byId = new ConcurrentHashMap<>();
    final AtomicInteger count = new AtomicInteger();
    final CompletableFuture<Status> end = new CompletableFuture<>();

    @Override
    public void onNext(ModelStreamInferResponse answer) {
      count.incrementAndGet();
      byId.put(answer.getInferResponse().getId(), answer);
    }

    @Override
    public void onError(Throwable t) {
      end.complete(Status.fromThrowable(t));
    }

    @Override
    public void onCompleted() {
      end.complete(Status.OK);
    }
  }

  @Test
  void everyMessageIsAnsweredOnceByItsIdAndFailuresComeInBandWithoutEndingTheStream() throws Exception {
    Answers answers = new Answers();
    StreamObserver<ModelInferRequest> requests = stub(channel, TestServer.KEY).modelStreamInfer(answers);
    int messages = 600;
    for (int i = 0; i < messages; i++) {
      ModelInferRequest q = GrpcRows.row("m-" + i, i % 10 == 3 ? -5 : 1 + i % 72);
      requests.onNext(i % 100 == 7 ? q.toBuilder().setModelName("nope").build() : q);
    }
    requests.onCompleted();
    assertThat(answers.end.get(60, TimeUnit.SECONDS).getCode()).isEqualTo(Status.Code.OK);
    assertThat(answers.count.get()).isEqualTo(messages);
    assertThat(answers.byId).hasSize(messages);
    for (int i = 0; i < messages; i++) {
      ModelStreamInferResponse a = answers.byId.get("m-" + i);
      if (i % 100 == 7) {
        assertThat(a.getErrorMessage()).startsWith("NOT_FOUND: ");
      } else if (i % 10 == 3) {
        assertThat(a.getErrorMessage()).startsWith("INVALID_ARGUMENT: ").contains("input 'tenure_months', row 0");
        assertThat(a.getInferResponse().getModelName()).isEqualTo("churn");
      } else {
        assertThat(a.getErrorMessage()).isEmpty();
        assertThat(a.getInferResponse().getOutputsList()).hasSize(4);
        assertThat(a.getInferResponse().getOutputs(1).getContents().getFp32Contents(0)).isBetween(0f, 1f);
      }
    }
  }

  @Test
  void aStreamWithoutAKeyIsUnauthenticated() throws Exception {
    Answers answers = new Answers();
    StreamObserver<ModelInferRequest> requests = stub(channel, null).modelStreamInfer(answers);
    requests.onNext(GrpcRows.row("a", 12));
    assertThat(answers.end.get(30, TimeUnit.SECONDS).getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
    assertThat(answers.count.get()).isZero();
  }

  @Test
  void aClientThatStopsReadingIsHeldBackByFlowControlAndOthersAreServedMeanwhile() throws Exception {
    ManagedChannel own = ManagedChannelBuilder.forAddress("127.0.0.1", server.port()).usePlaintext().build();
    try {
      AtomicInteger answered = new AtomicInteger();
      CompletableFuture<Status> end = new CompletableFuture<>();
      Semaphore ready = new Semaphore(0);
      var observer = new ClientResponseObserver<ModelInferRequest, ModelStreamInferResponse>() {
        ClientCallStreamObserver<ModelInferRequest> requests;

        @Override
        public void beforeStart(ClientCallStreamObserver<ModelInferRequest> stream) {
          requests = stream;
          stream.disableAutoRequestWithInitial(0); // read no answer until told to
          stream.setOnReadyHandler(ready::release);
        }

        @Override
        public void onNext(ModelStreamInferResponse value) {
          answered.incrementAndGet();
        }

        @Override
        public void onError(Throwable t) {
          end.complete(Status.fromThrowable(t));
        }

        @Override
        public void onCompleted() {
          end.complete(Status.OK);
        }
      };
      stub(own, TestServer.KEY).modelStreamInfer(observer);
      ModelInferRequest q = GrpcRows.row("x", 24);
      int limit = 200_000;
      int sent = 0;
      // Send while the transport takes more; stop once it has not for two seconds: the server stopped reading.
      while (sent < limit) {
        if (observer.requests.isReady()) {
          observer.requests.onNext(q);
          sent++;
        } else if (!ready.tryAcquire(2, TimeUnit.SECONDS) && !observer.requests.isReady()) {
          break;
        }
      }
      assertThat(sent).as("messages the server read from a client that reads none of its answers").isLessThan(limit);
      // Meanwhile another client on its own connection is served.
      var live = GRPCInferenceServiceGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS)
          .serverLive(ServerLiveRequest.getDefaultInstance());
      assertThat(live.getLive()).isTrue();
      // Once the client reads, every message it sent is answered: nothing accepted is lost.
      observer.requests.request(Integer.MAX_VALUE);
      int total = sent;
      observer.requests.onCompleted();
      assertThat(end.get(120, TimeUnit.SECONDS).getCode()).isEqualTo(Status.Code.OK);
      assertThat(answered.get()).isEqualTo(total);
    } finally {
      own.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
    }
  }
}
