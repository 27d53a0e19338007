package io.churnserving.http;

import io.churnserving.metrics.ServingMetrics;
import io.churnserving.observability.Readiness;
import io.churnserving.scoring.Scorer;
import io.churnserving.security.Scope;
import io.churnserving.stream.StreamUpgradeHandler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;

/**
 * The route table: every path the server answers, and the handlers each request passes through, in order. Each
 * route is named with its template, the name metrics and the access log use, never the raw path.
 */
final class Routes {
  /** The batch route, KServe V1 / TF-Serving style; the model (and later the version) is taken from the path. */
  static final String BATCH_PATH = "/v1/models/(?<model>[^/:]+)(?:/versions/(?<version>[^/:]+))?:predict";
  /** Route metadata naming the transport of a prediction route, for {@code predictions_total}. */
  static final String TRANSPORT = "transport";

  private Routes() {
  }

  static Router create(Vertx vertx, HttpServerVerticle.Dependencies deps, Scorer scorer, ConnectionGuard guard) {
    Router router = Router.router(vertx);
    HttpServerVerticle.Observability ops = deps.observability();
    ServingMetrics metrics = ops.metrics();
    ProblemHandler problems = ProblemHandler.create(metrics, ops.refusalLog());
    ApiKeyHandler predictKey = ApiKeyHandler.create(deps.keys(), Scope.PREDICT);
    ApiKeyHandler adminKey = ApiKeyHandler.create(deps.keys(), Scope.ADMIN);
    RateLimitHandler rateLimit = RateLimitHandler.create(deps.limiter());
    JsonContentTypeHandler json = JsonContentTypeHandler.create();
    BodyTimeoutHandler bodyTimeout = BodyTimeoutHandler.create(vertx, deps.http().bodyTimeoutMs());
    String model = "/v1/models/" + deps.modelName();

    everyRequest(router, ops, guard, problems);

    // The hot routes come first, single predictions and then the probes: every route before the one that matches
    // costs each request a path match, and a regular-expression path (batch, docs assets) costs a regex.
    // On prediction routes, cheap refusals first: key, then quota, then content type, then size (the body handler
    // checks Content-Length before reading), and only then parsing and validation.
    named(router.post("/predict"), "/predict", problems).putMetadata(TRANSPORT, "http")
        .handler(predictKey).handler(rateLimit).handler(json).handler(bodyTimeout)
        .handler(guard.reserveBody(deps.http().maxBodyBytes())).handler(bodyLimit(deps.http().maxBodyBytes()))
        .handler(PredictHandler.create(deps.validator(), scorer, deps.events(), metrics));

    // Probes, metrics and docs take no key and are never rate limited.
    probes(router, deps, problems);

    named(router.postWithRegex(BATCH_PATH), "/v1/models/{model}[/versions/{version}]:predict", problems)
        .putMetadata(TRANSPORT, "http-batch")
        .handler(predictKey).handler(rateLimit).handler(json).handler(bodyTimeout)
        .handler(guard.reserveBody(deps.http().maxBatchBodyBytes()))
        .handler(bodyLimit(deps.http().maxBatchBodyBytes()))
        .handler(BatchPredictHandler.create(deps.validator(), scorer, deps.modelName(), deps.modelVersion(),
            deps.events(), metrics));

    named(router.get("/openapi.json"), "/openapi.json", problems).handler(ApiDocsHandlers.document(deps.apiDocs()));
    named(router.get("/docs"), "/docs", problems).handler(ApiDocsHandlers.page(deps.apiDocs()));
    named(router.get("/docs/:asset"), "/docs/{asset}", problems).handler(ApiDocsHandlers.asset(deps.apiDocs()));
    if (ops.scrape() != null && deps.http().managementPort() < 0) {
      named(router.get("/metrics"), "/metrics", problems).handler(MetricsHandler.create(ops.scrape()));
    }

    named(router.get(model + "/monitor"), model + "/monitor", problems).handler(adminKey)
        .handler(MonitorHandler.create());

    // The stream's quota is taken per message, by the session, not per upgrade.
    named(router.get(model + "/stream"), model + "/stream", problems)
        .handler(ApiKeyHandler.allowingQueryParameter(deps.keys(), Scope.PREDICT))
        .handler(StreamUpgradeHandler.create(deps.keys(), deps.validator(), scorer, deps.stream(), deps.events(),
            deps.limiter(), metrics, ConnectionGuard::upgraded));

    return failures(router, problems);
  }

  /**
   * The management listener's table ({@code MANAGEMENT_PORT}): the probes and {@code /metrics}, nothing that takes
   * a key. Operators' scrapes and probes then neither compete with clients for a port's connections nor reach it
   * from where clients are.
   */
  static Router management(Vertx vertx, HttpServerVerticle.Dependencies deps, ConnectionGuard guard) {
    Router router = Router.router(vertx);
    HttpServerVerticle.Observability ops = deps.observability();
    ProblemHandler problems = ProblemHandler.create(ops.metrics(), ops.refusalLog());
    everyRequest(router, ops, guard, problems);
    probes(router, deps, problems);
    if (ops.scrape() != null) {
      named(router.get("/metrics"), "/metrics", problems).handler(MetricsHandler.create(ops.scrape()));
    }
    return failures(router, problems);
  }

  /** What every request passes first, in this order. */
  private static void everyRequest(Router router, HttpServerVerticle.Observability ops, ConnectionGuard guard,
                                   ProblemHandler problems) {
    // First: every request is charged to its connection, or refused when the connection or the server is full.
    router.route().handler(guard.admit());
    if (ops.scrape() != null) {
      router.route().handler(HttpMetricsHandler.create(ops.metrics().http()));
    }
    router.route().handler(CorrelationIdHandler.create()).handler(AccessLogHandler.create(ops.accessLogPercent()))
        .handler(FramingCheckHandler.create()).handler(PathCheckHandler.create(problems));
  }

  private static void probes(Router router, HttpServerVerticle.Dependencies deps, ProblemHandler problems) {
    Readiness readiness = deps.readiness();
    named(probe(router, "/health/live"), "/health/live", problems).handler(HealthHandlers.live());
    named(probe(router, "/health/ready"), "/health/ready", problems).handler(HealthHandlers.ready(readiness));
    named(probe(router, "/health"), "/health", problems).handler(HealthHandlers.full(deps.observability().health()));
    named(probe(router, "/v2/health/live"), "/v2/health/live", problems).handler(HealthHandlers.v2Live());
    named(probe(router, "/v2/health/ready"), "/v2/health/ready", problems).handler(HealthHandlers.v2Ready(readiness));
  }

  /**
   * Failures of the named routes are handled by their own failure handler (so the route is known); this one catches
   * the rest.
   */
  private static Router failures(Router router, ProblemHandler problems) {
    router.route().failureHandler(problems);
    router.errorHandler(404, problems);
    router.errorHandler(405, problems);
    router.errorHandler(500, problems);
    return router;
  }

  /** A probe answers GET and HEAD alike: some load balancers and uptime checkers probe with HEAD. */
  private static Route probe(Router router, String path) {
    return router.route(path).method(HttpMethod.GET).method(HttpMethod.HEAD);
  }

  private static Route named(Route route, String name, ProblemHandler problems) {
    return route.setName(name).failureHandler(problems);
  }

  private static BodyHandler bodyLimit(int bytes) {
    // No file uploads: the default handler would create an uploads directory, blocking file I/O.
    return BodyHandler.create(false).setBodyLimit(bytes);
  }
}
