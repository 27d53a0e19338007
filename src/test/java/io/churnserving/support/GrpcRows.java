package io.churnserving.support;

import com.google.protobuf.ByteString;
import io.churnserving.grpc.proto.InferTensorContents;
import io.churnserving.grpc.proto.ModelInferRequest;
import io.churnserving.grpc.proto.ModelInferRequest.InferInputTensor;
import io.vertx.core.json.JsonObject;

/** ModelInfer requests as a stock client builds them. */
public final class GrpcRows {
  private GrpcRows() {
  }

  /** One row of the example customer, with {@code tenure} months, as named columns. */
  public static ModelInferRequest row(String id, long tenure) {
    JsonObject example = new JsonObject(TestServer.EXAMPLE).put("tenure_months", tenure);
    var request = ModelInferRequest.newBuilder().setModelName("churn").setId(id);
    for (String field : example.fieldNames()) {
      Object v = example.getValue(field);
      var input = InferInputTensor.newBuilder().setName(field).addShape(1);
      if (v instanceof Number n && !(v instanceof Double)) {
        input.setDatatype("INT64").setContents(InferTensorContents.newBuilder().addInt64Contents(n.longValue()));
      } else if (v instanceof Double d) {
        input.setDatatype("FP64").setContents(InferTensorContents.newBuilder().addFp64Contents(d));
      } else {
        input.setDatatype("BYTES").setContents(InferTensorContents.newBuilder()
            .addBytesContents(ByteString.copyFromUtf8((String) v)));
      }
      request.addInputs(input);
    }
    return request.build();
  }
}
