package io.churnserving.bus;

import io.churnserving.errors.AnswerJson;
import io.churnserving.errors.Problem;
import io.churnserving.errors.Problems;
import io.churnserving.events.PredictionEvents;
import io.churnserving.observability.CorrelationId;
import io.churnserving.scoring.BatchingScorer;
import io.churnserving.scoring.Scorer;
import io.churnserving.validation.CustomerInstance;
import io.churnserving.validation.FieldError;
import io.churnserving.validation.RequestValidationException;
import io.churnserving.validation.RequestValidator;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
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

  private final RequestValidator validator;
  private final BatchingScorer.Settings scoring;
  private final PredictionEvents events;
  private Scorer scorer;

  public PredictConsumerVerticle(RequestValidator validator, BatchingScorer.Settings scoring,
                                 PredictionEvents events) {
    this.validator = validator;
    this.scoring = scoring;
    this.events = events;
  }

  @Override
  public Future<?> start() {
    scorer = new BatchingScorer(vertx, scoring);
    return vertx.eventBus().<Object>consumer(ADDRESS, this::handle).completion();
  }

  private void handle(Message<Object> message) {
    long started = System.nanoTime();
    String id = CorrelationId.acceptOrCreate(message.headers().get(CORRELATION_HEADER));
    CorrelationId.bind(id);
    List<FieldError> errors = new ArrayList<>(0);
    Object body = message.body() instanceof JsonObject json ? json.getMap() : message.body();
    CustomerInstance instance = validator.instance(body, List.of("body"), errors);
    if (instance == null) {
      fail(message, Problems.from(new RequestValidationException(errors)), id);
      return;
    }
    scorer.score(instance).onSuccess(prediction -> {
      message.reply(new JsonObject(AnswerJson.encode(prediction)));
      events.published("eventbus", id, instance, prediction, started);
    }).onFailure(e -> fail(message, Problems.from(e), id));
  }

  private static void fail(Message<Object> message, Problem problem, String id) {
    message.fail(problem.status(),
        AnswerJson.encode(problem.withCorrelationId(id)).toString(StandardCharsets.UTF_8));
  }
}
