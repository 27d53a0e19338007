package io.churnserving.serving;

import io.churnserving.events.PredictionEvents;
import io.churnserving.metrics.ServingMetrics;
import io.churnserving.model.Prediction;
import io.churnserving.scoring.EncodedScores;
import io.churnserving.scoring.Scorer;
import io.churnserving.validation.Instance;
import io.churnserving.validation.RequestValidator;
import io.vertx.core.Future;
import java.util.List;
import java.util.function.Consumer;

/**
 * The one prediction sequence every transport adapts: resolve the model version, validate with its schema, score
 * with its stack, answer, count, publish the event. HTTP, the batch route, the stream and the event bus differ only
 * in how they read a request and write an answer or a problem; the protocols to come plug in the same way. One per
 * transport verticle, on its event loop: its scorers are that loop's.
 */
public final class PredictionService {
  private final ServedModels models;
  private final VersionScorers scorers;
  private final PredictionEvents events;

  public PredictionService(ServedModels models, VersionScorers scorers, PredictionEvents events) {
    this.models = models;
    this.scorers = scorers;
    this.events = events;
  }

  /** The models, for transports that look one up without predicting (status, the monitor). */
  public ServedModels models() {
    return models;
  }

  /**
   * The version a request names (a number or label; null for the model's default), with this loop's scorer for it.
   * Resolve once per request or message and keep it no longer: versions come and go.
   *
   * @throws ModelNotFound                                        no such model, version or label
   * @throws io.churnserving.scoring.ScoringException.ModelUnavailable the model has no ready version
   */
  public Target target(String model, String version) {
    ServedVersion served = models.resolve(model, version);
    return new Target(served, scorers.of(served));
  }

  /** The default model's default version: what {@code POST /predict} and bare event-bus messages score with. */
  public Target defaultTarget() {
    return target(models.defaultModel(), null);
  }

  /**
   * One resolved version and its scorer: validate with {@link #validator()}, then {@link #predict}.
   *
   * @param served the version
   * @param scorer this event loop's scorer for it
   */
  public record Target(ServedVersion served, Scorer scorer) {
    public RequestValidator validator() {
      return served.validator();
    }

    /** The meters of this version, for the transport's own refusals of requests it validated. */
    public ServingMetrics metrics() {
      return served.metrics();
    }

    /** The deadline of a request that arrives now and asks for {@code timeoutMs} ({@link Long#MAX_VALUE}: none). */
    public long deadline(long timeoutMs) {
      return scorer.deadline(timeoutMs);
    }
  }

  /**
   * Scores one valid instance; once scored, {@code answer} writes the answer, then the prediction is counted and
   * published (publishing only enqueues, so it never delays an answer). A failure is the returned future's, for the
   * transport to answer as its problem and count.
   *
   * @param eventId the correlation ID the event carries
   * @param started {@link System#nanoTime()} when the request arrived, for the event's latency
   */
  public Future<Prediction> predict(Target target, String transport, String eventId, Instance instance,
                                    long deadline, long started, Consumer<Prediction> answer) {
    return target.scorer().score(instance, deadline).onSuccess(p -> {
      answer.accept(p);
      target.metrics().answered(transport, ServingMetrics.OK, 200, p.riskTier());
      events.published(transport, target.served().name(), eventId, instance, p, started);
    });
  }

  /**
   * Scores rows the client sent already encoded as the model's input tensor (the Open Inference Protocol's raw
   * form), answers and counts them. No event is published: an event carries the instance's fields, and these rows
   * have none, so the drift monitor does not see them.
   */
  public Future<EncodedScores> predictEncoded(Target target, String transport, float[] features, int rows,
                                              long deadline, Consumer<EncodedScores> answer) {
    return target.scorer().scoreEncoded(features, rows, deadline).onSuccess(scores -> {
      answer.accept(scores);
      target.metrics().answeredAll(transport, rows, i -> scores.predictions().get(i).riskTier());
    });
  }

  /** {@link #predict} for many instances, answered together and in order. */
  public Future<List<Prediction>> predictAll(Target target, String transport, String eventId,
                                             List<Instance> instances, long deadline, long started,
                                             Consumer<List<Prediction>> answer) {
    return target.scorer().scoreAll(instances, deadline).onSuccess(predictions -> {
      answer.accept(predictions);
      target.metrics().answeredAll(transport, predictions.size(), i -> predictions.get(i).riskTier());
      for (int i = 0; i < predictions.size(); i++) {
        events.published(transport, target.served().name(), eventId, instances.get(i), predictions.get(i), started);
      }
    });
  }
}
