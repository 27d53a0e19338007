package io.churnserving.bus;

import io.churnserving.errors.AnswerJson;
import io.churnserving.errors.Problem;
import io.churnserving.errors.Problems;
import io.churnserving.events.PredictionEvents;
import io.churnserving.metrics.ServingMetrics;
import io.churnserving.observability.CorrelationId;
import io.churnserving.scoring.ScoringException;
import io.churnserving.serving.ModelNotFound;
import io.churnserving.serving.PredictionService;
import io.churnserving.serving.ServedModels;
import io.churnserving.serving.VersionScorers;
import io.churnserving.validation.Instance;
import io.churnserving.validation.FieldError;
import io.churnserving.validation.RequestValidationException;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Answers {@link #ADDRESS}. The body is the instance itself, for the default model's default version, or an envelope
 * {@code {"instance": {...}, "model": "...", "version": "..."}} naming the model (default: the default model) and a
 * version or label of it (default: the model's default version). The version is looked up per message, among the
 * versions served then: one that is not served is refused with 404, as HTTP refuses it. The caller's correlation ID
 * travels in the {@code correlation_id} header (a consumer runs on a context of its own, so it cannot inherit the
 * sender's); without one, a fresh ID is made. Requests go through this verticle's own micro-batchers, one per
 * version, like HTTP's.
 */
public final class PredictConsumerVerticle extends VerticleBase {
  /** Request/reply address for predictions. */
  public static final String ADDRESS = "churn.predict";
  /** Message header carrying the correlation ID. */
  public static final String CORRELATION_HEADER = "correlation_id";
  private static final String TRANSPORT = "eventbus";
  /** The envelope's fields; a body with {@value #INSTANCE} is an envelope, any other is the instance itself. */
  private static final String INSTANCE = "instance";
  private static final String MODEL = "model";
  private static final String VERSION = "version";

  private final ServedModels models;
  private final PredictionEvents events;
  private final long drainMs;
  private final ServingMetrics metrics;
  private PredictionService service;
  private MessageConsumer<Object> consumer;
  private int inFlight;

  /**
   * @param models  the served models, which each message's version is looked up in
   * @param metrics the server's meters, for refusals no version gave (an unknown version, a malformed envelope); a
   *                version's answers count on its own
   * @param drainMs at undeploy, how long requests already taken get to be answered
   */
  public PredictConsumerVerticle(ServedModels models, PredictionEvents events, ServingMetrics metrics,
                                 long drainMs) {
    this.metrics = metrics;
    this.models = models;
    this.events = events;
    this.drainMs = drainMs;
  }

  @Override
  public Future<?> start() {
    service = new PredictionService(models, new VersionScorers(vertx), events);
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
    Object instanceJson = body;
    List<Object> at = List.of("body");
    String model = models.defaultModel();
    String version = null;
    if (body instanceof Map<?, ?> envelope && envelope.containsKey(INSTANCE)) {
      instanceJson = envelope.get(INSTANCE) instanceof JsonObject json ? json.getMap() : envelope.get(INSTANCE);
      at = List.of("body", INSTANCE);
      model = text(envelope, MODEL, model, errors);
      version = text(envelope, VERSION, null, errors);
      for (Object key : envelope.keySet()) {
        if (!INSTANCE.equals(key) && !MODEL.equals(key) && !VERSION.equals(key)) {
          errors.add(new FieldError(List.of("body", key), "Extra inputs are not permitted", "extra_forbidden"));
        }
      }
      if (!errors.isEmpty()) {
        fail(message, Problems.from(new RequestValidationException(errors)), id, metrics);
        return;
      }
    }
    PredictionService.Target served;
    try {
      served = service.target(model, version);
    } catch (ModelNotFound | ScoringException.ModelUnavailable e) {
      fail(message, Problems.from(e), id, metrics);
      return;
    }
    ServingMetrics counted = served.metrics();
    Instance instance = served.validator().instance(instanceJson, at, errors);
    if (instance == null) {
      fail(message, Problems.from(new RequestValidationException(errors)), id, counted);
      return;
    }
    inFlight++;
    service.predict(served, TRANSPORT, id, instance, served.deadline(Long.MAX_VALUE), started,
            prediction -> message.reply(new JsonObject(AnswerJson.encode(prediction))))
        .onFailure(e -> fail(message, Problems.from(e), id, counted)).onComplete(ar -> inFlight--);
  }

  /** An optional string field of the envelope; a field error when it is there and not a string. */
  private static String text(Map<?, ?> envelope, String field, String absent, List<FieldError> errors) {
    Object value = envelope.get(field);
    if (value == null) {
      return absent;
    }
    if (value instanceof String s) {
      return s;
    }
    errors.add(new FieldError(List.of("body", field), "Input should be a valid string", "string_type"));
    return absent;
  }

  private void fail(Message<Object> message, Problem problem, String id, ServingMetrics counted) {
    counted.answered(TRANSPORT, problem.kind(), problem.status(), null);
    message.fail(problem.status(),
        AnswerJson.encode(problem.withCorrelationId(id)).toString(StandardCharsets.UTF_8));
  }
}
