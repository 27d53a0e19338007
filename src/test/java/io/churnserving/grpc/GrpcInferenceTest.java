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
import io.churnserving.grpc.proto.RepositoryModelUnloadRequest;
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
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
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
  /** A key with one call in its bucket, refilled at one a second. */
  private static final String TIGHT = "tight-secret";
  private static final Metadata.Key<String> API_KEY = Metadata.Key.of("x-api-key", Metadata.ASCII_STRING_MARSHALLER);

  @TempDir
  static Path dir;
  private static TestServer server;
  private static ManagedChannel channel;

  @BeforeAll
  static void start() throws Exception {
    Path keys = Files.writeString(dir.resolve("keys.json"), "{\"keys\":[" + entry("ops", OPS, "[\"admin\",\"predict\"]")
        + "," + entry("crm-import", CRM, "[\"predict\"]") + "," + entry("tight", TIGHT, "[\"predict\"]")
        .replace("}", ",\"rate_limit_per_second\":1,\"rate_limit_burst\":1}") + "]}");
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
        .containsExactly("probabilities", "churn_probability", "churn_prediction", "risk_tier");
    assertThat(answer.getOutputs(0).getShapeList()).containsExactly(3L, 2L);
    assertThat(answer.getOutputsList().subList(1, 4)).allSatisfy(o -> assertThat(o.getShapeList())
        .containsExactly(3L));
    answer = answer.toBuilder().removeOutputs(0).build();
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
  void loadAndUnloadAreRefusedUnlessTheControlModeIsExplicit() {
    assertThatThrownBy(() -> stub(OPS).repositoryModelLoad(RepositoryModelLoadRequest.newBuilder()
        .setModelName("churn").build())).isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
          assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
          assertThat(e.getStatus().getDescription()).contains("MODEL_CONTROL_MODE=explicit");
        });
    assertThat(codeOf(() -> stub(OPS).repositoryModelUnload(RepositoryModelUnloadRequest.newBuilder()
        .setModelName("churn").build()))).isEqualTo(Status.Code.FAILED_PRECONDITION);
    assertThat(codeOf(() -> stub(CRM).repositoryModelUnload(RepositoryModelUnloadRequest.newBuilder()
        .setModelName("churn").build()))).isEqualTo(Status.Code.PERMISSION_DENIED);
  }

  /** Each input's typed contents as {@code raw_input_contents}, laid out as the protocol says. */
  private static ModelInferRequest.Builder asRaw(ModelInferRequest.Builder typed) {
    var raw = typed.clone().clearInputs().clearRawInputContents();
    for (InferInputTensor input : typed.getInputsList()) {
      InferTensorContents c = input.getContents();
      ByteBuffer bytes;
      switch (input.getDatatype()) {
        case "INT64" -> {
          bytes = ByteBuffer.allocate(8 * c.getInt64ContentsCount()).order(ByteOrder.LITTLE_ENDIAN);
          c.getInt64ContentsList().forEach(bytes::putLong);
        }
        case "FP64" -> {
          bytes = ByteBuffer.allocate(8 * c.getFp64ContentsCount()).order(ByteOrder.LITTLE_ENDIAN);
          c.getFp64ContentsList().forEach(bytes::putDouble);
        }
        default -> {
          int size = c.getBytesContentsList().stream().mapToInt(b -> 4 + b.size()).sum();
          bytes = ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
          for (ByteString b : c.getBytesContentsList()) {
            bytes.putInt(b.size()).put(b.toByteArray());
          }
        }
      }
      raw.addInputs(input.toBuilder().clearContents());
      raw.addRawInputContents(ByteString.copyFrom(bytes.array()));
    }
    return raw;
  }

  private static float[] floats(ByteString raw) {
    float[] f = new float[raw.size() / 4];
    raw.asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(f);
    return f;
  }

  @Test
  void rawInputContentsInTheNamedFormAreAnsweredWithRawOutputContents() {
    ModelInferResponse typed = stub(CRM).modelInfer(example(2).build());
    ModelInferResponse raw = stub(CRM).modelInfer(asRaw(example(2)).build());
    assertThat(raw.getId()).isEqualTo("req-42");
    assertThat(raw.getOutputsList()).extracting(InferOutputTensor::getName)
        .containsExactly("probabilities", "churn_probability", "churn_prediction", "risk_tier");
    assertThat(raw.getOutputsList()).allSatisfy(o -> assertThat(o.hasContents()).isFalse());
    assertThat(raw.getRawOutputContentsCount()).isEqualTo(4);
    assertThat(floats(raw.getRawOutputContents(0)))
        .containsExactly(toArray(typed.getOutputs(0).getContents().getFp32ContentsList()));
    assertThat(floats(raw.getRawOutputContents(1)))
        .containsExactly(toArray(typed.getOutputs(1).getContents().getFp32ContentsList()));
    boolean churn = typed.getOutputs(2).getContents().getBoolContents(0);
    assertThat(raw.getRawOutputContents(2).toByteArray()).containsExactly(churn ? 1 : 0, churn ? 1 : 0);
    byte[] tier = typed.getOutputs(3).getContents().getBytesContents(0).toByteArray();
    ByteBuffer tiers = raw.getRawOutputContents(3).asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
    for (int row = 0; row < 2; row++) {
      byte[] got = new byte[tiers.getInt()];
      tiers.get(got);
      assertThat(got).isEqualTo(tier);
    }
    assertThat(tiers.hasRemaining()).isFalse();
  }

  private static float[] toArray(java.util.List<Float> values) {
    float[] f = new float[values.size()];
    for (int i = 0; i < f.length; i++) {
      f[i] = values.get(i);
    }
    return f;
  }

  @Test
  void theRawTensorFormScoresTheModelsOwnInputTypedOrRaw() {
    ModelMetadataResponse meta = stub(CRM).modelMetadata(ModelMetadataRequest.newBuilder().setName("churn").build());
    TensorMetadata tensor = meta.getInputs(meta.getInputsCount() - 1);
    int width = (int) tensor.getShape(1);
    int rows = 1000;
    ByteBuffer bytes = ByteBuffer.allocate(rows * width * 4).order(ByteOrder.LITTLE_ENDIAN);
    var typed = InferTensorContents.newBuilder();
    for (int i = 0; i < rows * width; i++) {
      float v = (i % width == i / width % width) ? 1f : (i % 7) / 7f;
      bytes.putFloat(v);
      typed.addFp32Contents(v);
    }
    var input = InferInputTensor.newBuilder().setName(tensor.getName()).setDatatype("FP32").addShape(rows)
        .addShape(width);
    ModelInferResponse raw = stub(CRM).modelInfer(ModelInferRequest.newBuilder().setModelName("churn").setId("r")
        .addInputs(input).addRawInputContents(ByteString.copyFrom(bytes.array()))
        .addOutputs(ModelInferRequest.InferRequestedOutputTensor.newBuilder().setName("probabilities")).build());
    assertThat(raw.getOutputsList()).extracting(InferOutputTensor::getName).containsExactly("probabilities");
    assertThat(raw.getOutputs(0).getShapeList()).containsExactly((long) rows, 2L);
    float[] p = floats(raw.getRawOutputContents(0));
    assertThat(p).hasSize(rows * 2);
    for (int row = 0; row < rows; row++) {
      assertThat(p[2 * row] + p[2 * row + 1]).isCloseTo(1f, org.assertj.core.data.Offset.offset(1e-5f));
    }
    ModelInferResponse viaContents = stub(CRM).modelInfer(ModelInferRequest.newBuilder().setModelName("churn")
        .addInputs(input.clone().setContents(typed)).build());
    assertThat(viaContents.getOutputs(0).getContents().getFp32ContentsList()).containsExactly(
        toBoxed(p));
  }

  private static Float[] toBoxed(float[] p) {
    Float[] boxed = new Float[p.length];
    for (int i = 0; i < p.length; i++) {
      boxed[i] = p[i];
    }
    return boxed;
  }

  @Test
  void rawContentsThatDoNotFitTheirHeadsAreInvalidArgumentsNamingTheInput() {
    var request = asRaw(example(2));
    int tenure = 0;
    while (!request.getInputs(tenure).getName().equals("tenure_months")) {
      tenure++;
    }
    var shortBytes = request.clone().setRawInputContents(tenure, request.getRawInputContents(tenure).substring(1));
    var fewer = request.clone().clearRawInputContents()
        .addAllRawInputContents(request.getRawInputContentsList().subList(1, request.getRawInputContentsCount()));
    var both = request.clone().setInputs(tenure, request.getInputs(tenure).toBuilder()
        .setContents(InferTensorContents.newBuilder().addInt64Contents(1).addInt64Contents(2)));
    var lying = request.clone().setInputs(tenure, request.getInputs(tenure).toBuilder().clearShape()
        .addShape(1L << 40));
    int contract = 0;
    while (!request.getInputs(contract).getName().equals("contract_type")) {
      contract++;
    }
    var badPrefix = request.clone().setRawInputContents(contract, ByteString.copyFrom(ByteBuffer.allocate(8)
        .order(ByteOrder.LITTLE_ENDIAN).putInt(1_000_000).putInt(0).array()));
    for (var bad : java.util.List.of(shortBytes, both, lying, badPrefix)) {
      String expected = bad == badPrefix ? "input 'contract_type'" : "input 'tenure_months'";
      assertThatThrownBy(() -> stub(CRM).modelInfer(bad.build())).isInstanceOfSatisfying(
          StatusRuntimeException.class, e -> {
            assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
            assertThat(e.getStatus().getDescription()).contains(expected);
          });
    }
    assertThatThrownBy(() -> stub(CRM).modelInfer(fewer.build())).isInstanceOfSatisfying(
        StatusRuntimeException.class, e -> {
          assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
          assertThat(e.getStatus().getDescription()).contains("raw_input_contents");
        });
  }

  @Test
  void theRequestIdComesBackAndIsMadeWhenTheClientSendsNone() throws Exception {
    Metadata sent = new Metadata();
    sent.put(API_KEY, CRM);
    sent.put(Metadata.Key.of("x-request-id", Metadata.ASCII_STRING_MARSHALLER), "grpc-call-7");
    var headers = new java.util.concurrent.atomic.AtomicReference<Metadata>();
    var trailers = new java.util.concurrent.atomic.AtomicReference<Metadata>();
    var stub = GRPCInferenceServiceGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS)
        .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(sent),
            MetadataUtils.newCaptureMetadataInterceptor(headers, trailers));
    stub.modelInfer(example(1).build());
    var requestId = Metadata.Key.of("x-request-id", Metadata.ASCII_STRING_MARSHALLER);
    assertThat(headers.get().get(requestId)).isEqualTo("grpc-call-7");
    Metadata anonymous = new Metadata();
    anonymous.put(API_KEY, CRM);
    GRPCInferenceServiceGrpc.newBlockingStub(channel).withInterceptors(
        MetadataUtils.newAttachHeadersInterceptor(anonymous),
        MetadataUtils.newCaptureMetadataInterceptor(headers, trailers)).modelInfer(example(1).build());
    assertThat(headers.get().get(requestId)).matches("[0-9a-f]{16}");
  }

  @Test
  void aKeyOverItsRateLimitIsResourceExhaustedWithRetryAfter() {
    var trailers = new java.util.concurrent.atomic.AtomicReference<Metadata>();
    var headers = new java.util.concurrent.atomic.AtomicReference<Metadata>();
    var stub = stub(TIGHT).withInterceptors(MetadataUtils.newCaptureMetadataInterceptor(headers, trailers));
    stub.modelInfer(example(1).build());
    assertThat(headers.get().get(Metadata.Key.of("ratelimit-remaining", Metadata.ASCII_STRING_MARSHALLER)))
        .isEqualTo("0");
    // The bucket refills one token a second: of the calls that follow at once, one is refused before long.
    StatusRuntimeException refused = null;
    for (int i = 0; i < 50 && refused == null; i++) {
      try {
        stub.modelInfer(example(1).build());
      } catch (StatusRuntimeException e) {
        refused = e;
      }
    }
    assertThat(refused).isNotNull();
    assertThat(refused.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
    assertThat(refused.getStatus().getDescription()).contains("Rate limit");
    assertThat(Long.parseLong(trailers.get().get(Metadata.Key.of("retry-after", Metadata.ASCII_STRING_MARSHALLER))))
        .isPositive();
    // Metadata and readiness are not limited, as HTTP's are not.
    assertThat(stub(TIGHT).modelReady(ModelReadyRequest.newBuilder().setName("churn").build()).getReady()).isTrue();
  }

  @Test
  void callsAreMeasuredByMethodAndStatus() {
    stub(CRM).modelInfer(example(1).build());
    codeOf(() -> stub(CRM).modelInfer(example(1).setModelName("nope").build()));
    String scrape = server.get("/metrics").bodyAsString();
    assertThat(scrape).contains("grpc_server_call_duration_seconds_count{grpc_method=\"inference.GRPCInferenceService"
        + "/ModelInfer\",grpc_status=\"OK\"}");
    assertThat(scrape).contains("grpc_method=\"inference.GRPCInferenceService/ModelInfer\",grpc_status=\"NOT_FOUND\"");
  }

  @Test
  void theRestApiStillAnswersOnTheSamePort() {
    assertThat(server.get("/health/ready").statusCode()).isEqualTo(200);
    assertThat(server.postJson("/predict", TestServer.EXAMPLE).statusCode()).isEqualTo(401);
  }
}
