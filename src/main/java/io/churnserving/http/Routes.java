package io.churnserving.http;

import io.churnserving.scoring.Scorer;
import io.churnserving.security.Scope;
import io.churnserving.stream.StreamUpgradeHandler;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;

/** The route table: every path the server answers, and the handlers each request passes through, in order. */
final class Routes {
  /** The batch route, KServe V1 / TF-Serving style; the model (and later the version) is taken from the path. */
  static final String BATCH_PATH = "/v1/models/(?<model>[^/:]+)(?:/versions/(?<version>[^/:]+))?:predict";

  private Routes() {
  }

  static Router create(Vertx vertx, HttpServerVerticle.Dependencies deps, Scorer scorer) {
    Router router = Router.router(vertx);
    ProblemHandler problems = ProblemHandler.create();
    ApiKeyHandler predictKey = ApiKeyHandler.create(deps.keys(), Scope.PREDICT);
    ApiKeyHandler adminKey = ApiKeyHandler.create(deps.keys(), Scope.ADMIN);
    RateLimitHandler rateLimit = RateLimitHandler.create(deps.limiter());
    JsonContentTypeHandler json = JsonContentTypeHandler.create();
    BodyTimeoutHandler bodyTimeout = BodyTimeoutHandler.create(deps.http().bodyTimeoutMs());

    router.route().handler(CorrelationIdHandler.create());

    router.get("/health/live").handler(HealthHandlers.live());
    router.get("/health/ready").handler(HealthHandlers.ready(deps.readiness()));

    // Cheap refusals first: key, then quota, then content type, then size (the body handler checks
    // Content-Length before reading), and only then parsing and validation. Health is never limited.
    router.post("/predict")
        .handler(predictKey).handler(rateLimit).handler(json).handler(bodyTimeout)
        .handler(bodyLimit(deps.http().maxBodyBytes()))
        .handler(PredictHandler.create(deps.validator(), scorer, deps.events()));
    router.postWithRegex(BATCH_PATH)
        .handler(predictKey).handler(rateLimit).handler(json).handler(bodyTimeout)
        .handler(bodyLimit(deps.http().maxBatchBodyBytes()))
        .handler(BatchPredictHandler.create(deps.validator(), scorer, deps.modelName(), deps.modelVersion(),
            deps.events()));
    router.get("/v1/models/" + deps.modelName() + "/monitor").handler(adminKey).handler(MonitorHandler.create());

    // The stream's quota is taken per message, by the session, not per upgrade.
    router.get("/v1/models/" + deps.modelName() + "/stream")
        .handler(ApiKeyHandler.allowingQueryParameter(deps.keys(), Scope.PREDICT))
        .handler(StreamUpgradeHandler.create(deps.validator(), scorer, deps.stream(), deps.events(),
            deps.limiter()));

    router.route().failureHandler(problems);
    router.errorHandler(404, problems);
    router.errorHandler(405, problems);
    router.errorHandler(500, problems);
    return router;
  }

  private static BodyHandler bodyLimit(int bytes) {
    // No file uploads: the default handler would create an uploads directory, blocking file I/O.
    return BodyHandler.create(false).setBodyLimit(bytes);
  }
}
