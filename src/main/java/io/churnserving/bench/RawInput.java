package io.churnserving.bench;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * The model's own input tensor, FP32 {@code [-1, F]}, as the target's Open Inference Protocol metadata
 * ({@code GET /v2/models/M[/versions/V]}) describes it: the one input of two dimensions, beside the named columns of
 * one. Asked once before a {@code --body raw} run, over REST on the target's host and port (gRPC is served on the
 * same port), so the harness names no tensor and counts no column of any model itself.
 *
 * @param name    the tensor's name in the ONNX model ({@code input} for churn)
 * @param columns F, the encoded features per row
 */
record RawInput(String name, int columns) {

  /** Asks the target; fails with a message fit for the user when it cannot tell. */
  static Future<RawInput> fetch(Vertx vertx, BenchOptions options) {
    int waitMillis = (int) Math.min(Integer.MAX_VALUE, options.timeout().toMillis());
    HttpClientAgent client = vertx.createHttpClient(new HttpClientOptions().setConnectTimeout(waitMillis));
    String path = BenchOptions.oipModelPath(options.model(), options.modelVersion());
    RequestOptions request = new RequestOptions().setMethod(HttpMethod.GET).setHost(options.url().getHost())
        .setPort(options.port()).setURI(path).setIdleTimeout(waitMillis)
        .putHeader(HttpHeaders.ACCEPT, "application/json").putHeader("X-API-Key", options.apiKey());
    Future<RawInput> answer = client.request(request)
        .compose(req -> req.send())
        .compose(response -> response.body().map(body -> parse(response.statusCode(), body, path)));
    answer.onComplete(ar -> client.close());
    return answer;
  }

  static RawInput parse(int status, Buffer body, String path) {
    if (status != 200) {
      throw new IllegalStateException("GET " + path + " answered " + status + ": --body raw needs the model's "
          + "metadata to name its input tensor");
    }
    JsonArray inputs = body.toJsonObject().getJsonArray("inputs", new JsonArray());
    for (Object item : inputs) {
      if (item instanceof JsonObject input && input.getValue("shape") instanceof JsonArray shape
          && shape.size() == 2 && "FP32".equals(input.getString("datatype"))
          && shape.getValue(1) instanceof Number f && f.intValue() > 0) {
        return new RawInput(input.getString("name"), f.intValue());
      }
    }
    throw new IllegalStateException("GET " + path + " describes no FP32 [N, F] input: " + inputs.encode());
  }
}
