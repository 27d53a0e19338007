package io.churnserving.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.churnserving.grpc.proto.GRPCInferenceServiceGrpc;
import io.churnserving.grpc.proto.GRPCInferenceServiceGrpc.GRPCInferenceServiceBlockingStub;
import com.google.protobuf.ByteString;
import io.churnserving.grpc.proto.InferTensorContents;
import io.churnserving.grpc.proto.ModelInferRequest;
import io.churnserving.grpc.proto.ModelInferRequest.InferInputTensor;
import io.churnserving.grpc.proto.ModelInferResponse;
import io.churnserving.grpc.proto.ModelInferResponse.InferOutputTensor;
import io.churnserving.grpc.proto.RepositoryModelLoadRequest;
import io.churnserving.grpc.proto.ModelMetadataRequest;
import io.churnserving.grpc.proto.ModelMetadataResponse;
import io.churnserving.grpc.proto.ModelMetadataResponse.TensorMetadata;
import io.churnserving.grpc.proto.ModelReadyRequest;
import io.churnserving.grpc.proto.RepositoryIndexRequest;
import io.churnserving.grpc.proto.RepositoryIndexResponse;
import io.churnserving.grpc.proto.ServerLiveRequest;
import io.churnserving.grpc.proto.ServerMetadataRequest;
import io.churnserving.grpc.proto.ServerMetadataResponse;
import io.churnserving.grpc.proto.ServerReadyRequest;
import io.churnserving.security.ApiKeys;
import io.churnserving.support.TestServer;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.MetadataUtils;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code inference.GRPCInferenceService} driven as a Java user of a stock client drives it: grpc-java's stubs,
 * generated from the same {@code .proto}, over grpc-java's own Netty transport (h2c with prior knowledge), against
 * the real server on its HTTP port.
 */
class GrpcInferenceTest {
  private static final String OPS = "ops-secret";
  private static final String CRM = "crm-secret";
  private static final Metadata.Key<String> API_KEY = Metadata.Key.of("x-api-key", Metadata.ASCII_STRING_MARSHALLER);

  @TempDir
  static Path dir;
  private static TestServer server;
  private static ManagedChannel channel;

  @BeforeAll
  static void start() throws Exception {
    Path keys = Files.writeString(dir.resolve("keys.json"), "{\"keys\":[" + entry("ops", OPS, "[\"admin\",\"predict\"]")
        + "," + entry("crm-import", CRM, "[\"predict\"]") + "]}");
    server = TestServer.start("API_KEYS_FILE", keys.toString());
    channel = ManagedChannelBuilder.forAddress("127.0.0.1", server.port()).usePlaintext().build();
  }

  @AfterAll
  static void stop() throws Exception {
    channel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
    server.close();
  }

  private static String entry(String name, String key, String scopes) {
    return "{\"name\":\"" + name + "\",\"sha256\":\"" + ApiKeys.hashEntry(key).substring("sha256:".length())
        + "\",\"scopes\":" + scopes + "}";
  }

  /** A stub sending {@code x-api-key}, as a user attaches it: a header interceptor. */
  private static GRPCInferenceServiceBlockingStub stub(String key) {
    var stub = GRPCInferenceServiceGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS);
    if (key == null) {
      return stub;
    }
    Metadata headers = new Metadata();
    headers.put(API_KEY, key);
    return stub.withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers));
  }

  private static Status.Code codeOf(Runnable call) {
    try {
      call.run();
    } catch (StatusRuntimeException e) {
      return e.getStatus().getCode();
    }
    throw new AssertionError("the call succeeded");
  }

  @Test
  void theProbesAndTheServerMetadataNeedNoKey() {
    assertThat(stub(null).serverLive(ServerLiveRequest.getDefaultInstance()).getLive()).isTrue();
    assertThat(stub(null).serverReady(ServerReadyRequest.getDefaultInstance()).getReady()).isTrue();
    ServerMetadataResponse meta = stub(null).serverMetadata(ServerMetadataRequest.getDefaultInstance());
    assertThat(meta.getName()).isEqualTo("churn-serving");
    assertThat(meta.getVersion()).isNotEmpty();
    assertThat(meta.getExtensionsList()).containsExactly("model_repository");
  }

  @Test
  void aServedModelIsReadyByDefaultAndByVersionNumberAndAnUnknownOneIsNotFound() {
    assertThat(stub(CRM).modelReady(ModelReadyRequest.newBuilder().setName("churn").build()).getReady()).isTrue();
    RepositoryIndexResponse index = stub(OPS).repositoryIndex(RepositoryIndexRequest.newBuilder().setReady(true)
        .build());
    String served = index.getModels(0).getVersion();
    assertThat(stub(CRM).modelReady(ModelReadyRequest.newBuilder().setName("churn").setVersion(served).build())
        .getReady()).isTrue();
    assertThat(codeOf(() -> stub(CRM).modelReady(ModelReadyRequest.newBuilder().setName("nope").build())))
        .isEqualTo(Status.Code.NOT_FOUND);
    assertThat(codeOf(() -> stub(CRM).modelReady(ModelReadyRequest.newBuilder().setName("churn").setVersion("999")
        .build()))).isEqualTo(Status.Code.NOT_FOUND);
  }

  @Test
  void theModelMetadataDescribesBothInputFormsAndTheOutputsFromTheVersionsFiles() {
    ModelMetadataResponse meta = stub(CRM).modelMetadata(ModelMetadataRequest.newBuilder().setName("churn").build());
    assertThat(meta.getName()).isEqualTo("churn");
    assertThat(meta.getPlatform()).isEqualTo("onnx_onnxv1");
    assertThat(meta.getVersionsList()).isNotEmpty();
    assertThat(meta.getInputsList()).contains(
        TensorMetadata.newBuilder().setName("tenure_months").setDatatype("INT64").addShape(-1).build(),
        TensorMetadata.newBuilder().setName("monthly_charges").setDatatype("FP64").addShape(-1).build(),
        TensorMetadata.newBuilder().setName("contract_type").setDatatype("BYTES").addShape(-1).build());
    TensorMetadata raw = meta.getInputs(meta.getInputsCount() - 1);
    assertThat(raw.getDatatype()).isEqualTo("FP32");
    assertThat(raw.getShapeList()).hasSize(2).first().isEqualTo(-1L);
    assertThat(meta.getOutputsList()).extracting(TensorMetadata::getName)
        .containsExactly("probabilities", "churn_probability", "churn_prediction", "risk_tier");
    assertThat(meta.getOutputs(0).getShapeList()).containsExactly(-1L, 2L);
    assertThat(codeOf(() -> stub(CRM).modelMetadata(ModelMetadataRequest.newBuilder().setName("nope").build())))
        .isEqualTo(Status.Code.NOT_FOUND);
  }

  @Test
  void theRepositoryIndexListsEveryVersionWithItsState() {
    RepositoryIndexResponse index = stub(OPS).repositoryIndex(RepositoryIndexRequest.getDefaultInstance());
    assertThat(index.getModelsList()).isNotEmpty()
        .allSatisfy(m -> assertThat(m.getName()).isEqualTo("churn"))
        .anySatisfy(m -> assertThat(m.getState()).isEqualTo("READY"));
  }

  @Test
  void aMissingOrUnknownKeyIsUnauthenticatedAndAKeyWithoutTheScopeIsDenied() {
    ModelReadyRequest ready = ModelReadyRequest.newBuilder().setName("churn").build();
    assertThat(codeOf(() -> stub(null).modelReady(ready))).isEqualTo(Status.Code.UNAUTHENTICATED);
    assertThat(codeOf(() -> stub("wrong").modelReady(ready))).isEqualTo(Status.Code.UNAUTHENTICATED);
    assertThat(codeOf(() -> stub("wrong").modelMetadata(ModelMetadataRequest.newBuilder().setName("churn").build())))
        .isEqualTo(Status.Code.UNAUTHENTICATED);
    assertThat(codeOf(() -> stub(CRM).repositoryIndex(RepositoryIndexRequest.getDefaultInstance())))
        .isEqualTo(Status.Code.PERMISSION_DENIED);
    assertThatThrownBy(() -> stub(null).repositoryIndex(RepositoryIndexRequest.getDefaultInstance()))
        .isInstanceOf(StatusRuntimeException.class).hasMessageContaining("x-api-key");
  }

  /** The example customer as named columns of {@code rows} rows, typed as a stock client types them. */
  private static ModelInferRequest.Builder example(int rows) {
    JsonObject example = new JsonObject(TestServer.EXAMPLE);
    var request = ModelInferRequest.newBuilder().setModelName("churn").setId("req-42");
    for (String field : example.fieldNames()) {
      Object v = example.getValue(field);
      var input = InferInputTensor.newBuilder().setName(field).addShape(rows);
      var contents = InferTensorContents.newBuilder();
      for (int i = 0; i < rows; i++) {
        if (v instanceof Integer n) {
          input.setDatatype("INT64");
          contents.addInt64Contents(n);
        } else if (v instanceof Number d) {
          input.setDatatype("FP64");
          contents.addFp64Contents(d.doubleValue());
        } else {
          input.setDatatype("BYTES");
          contents.addBytesContents(ByteString.copyFromUtf8((String) v));
        }
      }
      request.addInputs(input.setContents(contents));
    }
    return request;
  }

  @Test
  void modelInferScoresEachRowAsPredictDoesAndEchoesTheId() {
    ModelInferResponse answer = stub(CRM).modelInfer(example(3).build());
    assertThat(answer.getId()).isEqualTo("req-42");
    assertThat(answer.getModelName()).isEqualTo("churn");
    assertThat(answer.getModelVersion()).isNotEmpty();
    assertThat(answer.getOutputsList()).extracting(InferOutputTensor::getName)
        .containsExactly("churn_probability", "churn_prediction", "risk_tier");
    assertThat(answer.getOutputsList()).allSatisfy(o -> assertThat(o.getShapeList()).containsExactly(3L));
    JsonObject rest = new JsonObject(TestServer.await(server.request(HttpMethod.POST, "/predict")
        .putHeader("X-API-Key", CRM).putHeader("Content-Type", "application/json")
        .sendBuffer(Buffer.buffer(TestServer.EXAMPLE))).bodyAsString());
    assertThat(answer.getOutputs(0).getContents().getFp32ContentsList())
        .containsOnly(rest.getFloat("churn_probability"));
    assertThat(answer.getOutputs(1).getContents().getBoolContentsList())
        .containsOnly(rest.getBoolean("churn_prediction"));
    assertThat(answer.getOutputs(2).getContents().getBytesContentsList()).extracting(ByteString::toStringUtf8)
        .containsOnly(rest.getString("risk_tier"));
  }

  @Test
  void modelInferAnswersOnlyTheOutputsAsked() {
    ModelInferResponse answer = stub(CRM).modelInfer(example(1)
        .addOutputs(ModelInferRequest.InferRequestedOutputTensor.newBuilder().setName("risk_tier")).build());
    assertThat(answer.getOutputsList()).extracting(InferOutputTensor::getName).containsExactly("risk_tier");
    assertThat(codeOf(() -> stub(CRM).modelInfer(example(1)
        .addOutputs(ModelInferRequest.InferRequestedOutputTensor.newBuilder().setName("nope")).build())))
        .isEqualTo(Status.Code.INVALID_ARGUMENT);
  }

  @Test
  void anInvalidValueIsAnInvalidArgumentNamingTheInputAndTheRow() {
    var request = example(2);
    for (int i = 0; i < request.getInputsCount(); i++) {
      if (request.getInputs(i).getName().equals("tenure_months")) {
        request.setInputs(i, request.getInputs(i).toBuilder().setContents(InferTensorContents.newBuilder()
            .addInt64Contents(24).addInt64Contents(-5)));
      }
    }
    assertThatThrownBy(() -> stub(CRM).modelInfer(request.build())).isInstanceOfSatisfying(
        StatusRuntimeException.class, e -> {
          assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
          assertThat(e.getStatus().getDescription()).contains("input 'tenure_months', row 1");
        });
    var ragged = example(2);
    ragged.setInputs(0, ragged.getInputs(0).toBuilder().clearShape().addShape(3));
    assertThatThrownBy(() -> stub(CRM).modelInfer(ragged.build())).isInstanceOfSatisfying(
        StatusRuntimeException.class, e -> {
          assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
          assertThat(e.getStatus().getDescription()).contains("input '" + ragged.getInputs(0).getName() + "'");
        });
  }

  @Test
  void modelInferForAnUnknownModelIsNotFoundAndWithoutAKeyUnauthenticated() {
    assertThat(codeOf(() -> stub(CRM).modelInfer(example(1).setModelName("nope").build())))
        .isEqualTo(Status.Code.NOT_FOUND);
    assertThat(codeOf(() -> stub("wrong").modelInfer(example(1).build()))).isEqualTo(Status.Code.UNAUTHENTICATED);
  }

  @Test
  void methodsNotServedYetAreUnimplemented() {
    assertThat(codeOf(() -> stub(OPS).repositoryModelLoad(RepositoryModelLoadRequest.newBuilder()
        .setModelName("churn").build()))).isEqualTo(Status.Code.UNIMPLEMENTED);
  }

  @Test
  void theRestApiStillAnswersOnTheSamePort() {
    assertThat(server.get("/health/ready").statusCode()).isEqualTo(200);
    assertThat(server.postJson("/predict", TestServer.EXAMPLE).statusCode()).isEqualTo(401);
  }
}
