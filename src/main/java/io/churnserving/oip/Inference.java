package io.churnserving.oip;

import io.churnserving.model.Prediction;
import io.churnserving.serving.PredictionService;
import io.churnserving.validation.Instance;
import java.util.List;
import java.util.function.Consumer;

/**
 * An inference request scored in whichever of the protocol's forms it came, for every transport that speaks it
 * (REST, gRPC unary and stream): the raw tensor straight to the model; named columns validated by the version's
 * own rules, one row by the micro-batcher with every other single prediction (as {@code /predict}'s), many rows
 * together.
 */
public final class Inference {
  private final OpenInference oip;
  private final PredictionService service;

  public Inference(OpenInference oip, PredictionService service) {
    this.oip = oip;
    this.service = service;
  }

  /**
   * The rows' predictions, and the model's output matrix when the request was the raw tensor.
   *
   * @param outputs row-major, one column per label; null for a named-columns request
   */
  public record Scores(List<Prediction> predictions, float[] outputs) {
  }

  /**
   * Scores the request; once scored, {@code answer} writes the answer, then the rows are counted and published.
   *
   * @param eventId the correlation ID the prediction events carry
   * @param started {@link System#nanoTime()} when the request arrived
   * @throws io.churnserving.errors.ClientProblem 400 naming the input (and row) at fault, before anything is scored
   */
  public io.vertx.core.Future<Scores> score(PredictionService.Target target, InferenceRequest request,
                                             String transport, String eventId, long deadline, long started,
                                             Consumer<Scores> answer) {
    if (oip.encoded(target.served(), request)) {
      float[] features = oip.features(target.served(), request);
      int rows = (int) request.inputs().get(0).shape()[0];
      return encoded(target, transport, features, rows, deadline, answer);
    }
    List<Instance> instances = oip.instances(target.served(), request);
    if (instances.size() == 1) {
      return service.predict(target, transport, eventId, instances.get(0), deadline, started,
          p -> answer.accept(new Scores(List.of(p), null))).map(p -> new Scores(List.of(p), null));
    }
    return service.predictAll(target, transport, eventId, instances, deadline, started,
        p -> answer.accept(new Scores(p, null))).map(p -> new Scores(p, null));
  }

  /** Scores rows already in the model's input tensor (from a transport that read them straight from bytes). */
  public io.vertx.core.Future<Scores> encoded(PredictionService.Target target, String transport, float[] features,
                                               int rows, long deadline, Consumer<Scores> answer) {
    return service.predictEncoded(target, transport, features, rows, deadline,
        s -> answer.accept(new Scores(s.predictions(), s.outputs())))
        .map(s -> new Scores(s.predictions(), s.outputs()));
  }

  /** The protocol's documents and reading, for what a transport decides before scoring. */
  public OpenInference protocol() {
    return oip;
  }
}
