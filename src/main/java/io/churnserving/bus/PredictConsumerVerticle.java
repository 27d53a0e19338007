package io.churnserving.bus;

import io.churnserving.errors.AnswerJson;
import io.churnserving.errors.Problem;
import io.churnserving.errors.Problems;
import io.churnserving.events.PredictionEvents;
import io.churnserving.metrics.ServingMetrics;
import io.churnserving.observability.CorrelationId;
import io.churnserving.scoring.ScorerFactory;
import io.churnserving.scoring.Scorer;
import io.churnserving.validation.Instance;
import io.churnserving.validation.FieldError;
import io.churnserving.validation.RequestValidationException;
import io.churnserving.validation.RequestValidator;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Answers {@link #ADDRESS}. The caller's correlation ID travels in the {@code correlation_id} header (a consumer runs
 * on a context of its own, so it cannot inherit the sender's); without one, a fresh ID is made. Requests go through
 * this verticle's own micro-batcher, like HTTP's.
 */
public final class PredictConsumerVerticle extends VerticleBase {
  /** Request/reply address for predictions. */
  public static final String ADDRESS = "churn.predict";
  /** Message header carrying the correlation ID. */
  public static final String CORRELATION_HEADER = "correlation_id";
  private static final String TRANSPORT = "eventbus";

  private final RequestValidator validator;
  private final ScorerFactory scorers;
  private final PredictionEvents events;
  private final long drainMs;
  private final ServingMetrics metrics;
  private Scorer scorer;
  private MessageConsumer<Object> consumer;
  private int inFlight;

  /**
   * @param drainMs at undeploy, how long requests already taken get to be answered
   */
  public PredictConsumerVerticle(RequestValidator validator, ScorerFactory scorers, PredictionEvents events,
                                 ServingMetrics metrics, long drainMs) {
    this.metrics = metrics;
    this.validator = validator;
    this.scorers = scorers;
    this.events = events;
    this.drainMs = drainMs;
  }

  @Override
  public Future<?> start() {
    scorer = scorers.create(vertx);
    consumer = vertx.eventBus().consumer(ADDRESS, this::handle);
    return consumer.completion();
  }

  /** Stops taking requests, then waits for those already taken to be answered (at most the drain time). */
  @Override
  public Future<?> stop() {
    Promise<Void> drained = Promise.promise();
    long giveUpAt = System.nanoTime() + drainMs * 1_000_000;
    consumer.unregister().onComplete(v -> awaitDrained(drained, giveUpAt));
    return drained.future();
  }

  private void awaitDrained(Promise<Void> drained, long giveUpAt) {
    if (inFlight == 0 || System.nanoTime() - giveUpAt > 0) {
      drained.complete();
    } else {
      vertx.setTimer(10, id -> awaitDrained(drained, giveUpAt));
    }
  }

  private void handle(Message<Object> message) {
    long started = System.nanoTime();
    String id = CorrelationId.acceptOrCreate(message.headers().get(CORRELATION_HEADER));
    CorrelationId.bind(id);
    List<FieldError> errors = new ArrayList<>(0);
    Object body = message.body() instanceof JsonObject json ? json.getMap() : message.body();
    Instance instance = validator.instance(body, List.of("body"), errors);
    if (instance == null) {
      fail(message, Problems.from(new RequestValidationException(errors)), id);
      return;
    }
    inFlight++;
    scorer.score(instance).onSuccess(prediction -> {
      message.reply(new JsonObject(AnswerJson.encode(prediction)));
      metrics.answered(TRANSPORT, ServingMetrics.OK, 200, prediction.riskTier());
      events.published("eventbus", id, instance, prediction, started);
    }).onFailure(e -> fail(message, Problems.from(e), id)).onComplete(ar -> inFlight--);
  }

  private void fail(Message<Object> message, Problem problem, String id) {
    metrics.answered(TRANSPORT, problem.kind(), problem.status(), null);
    message.fail(problem.status(),
        AnswerJson.encode(problem.withCorrelationId(id)).toString(StandardCharsets.UTF_8));
  }
}
