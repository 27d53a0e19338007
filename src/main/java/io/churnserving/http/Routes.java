package io.churnserving.http;

import io.churnserving.errors.Problem;
import io.churnserving.errors.Problems;
import io.churnserving.metrics.ServingMetrics;
import io.churnserving.oip.OpenInference;
import io.churnserving.observability.Readiness;
import io.churnserving.serving.PredictionService;
import io.churnserving.serving.VersionScorers;
import io.churnserving.security.Scope;
import io.churnserving.stream.StreamOriginHandler;
import io.churnserving.stream.StreamUpgradeHandler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The route table: every path the server answers, and the handlers each request passes through, in order. Each
 * route is named with its template, the name metrics and the access log use, never the raw path.
 */
final class Routes {
  /** The batch route, KServe V1 / TF-Serving style; the model (and later the version) is taken from the path. */
  static final String BATCH_PATH = "/v1/models/(?<model>[^/:]+)(?:/versions/(?<version>[^/:]+))?:predict";
  private static final String BATCH_NAME = "/v1/models/{model}[/versions/{version}]:predict";
  /** KServe V1 status of one model and of one version; a model name never holds ':', which :predict routes use. */
  private static final String MODEL_PATH = "/v1/models/(?<model>[^/:]+)";
  private static final String MODEL_NAME = "/v1/models/{model}";
  private static final String VERSION_PATH = "/v1/models/(?<model>[^/:]+)/versions/(?<version>[^/:]+)";
  private static final String VERSION_NAME = "/v1/models/{model}/versions/{version}";
  /** The WebSocket stream of a model's default version, and of one version or label. */
  private static final String STREAM_PATH = "/v1/models/(?<model>[^/:]+)/stream";
  private static final String STREAM_NAME = "/v1/models/{model}/stream";
  private static final String VERSION_STREAM_PATH = "/v1/models/(?<model>[^/:]+)/versions/(?<version>[^/:]+)/stream";
  private static final String VERSION_STREAM_NAME = "/v1/models/{model}/versions/{version}/stream";
  /** A model's drift window. */
  private static final String MONITOR_PATH = "/v1/models/(?<model>[^/:]+)/monitor";
  private static final String MONITOR_NAME = "/v1/models/{model}/monitor";
  /** The Open Inference Protocol's model metadata, readiness and inference, of the default version or of one. */
  private static final String OIP_MODEL = "/v2/models/(?<model>[^/]+)(?:/versions/(?<version>[^/]+))?";
  private static final String OIP_MODEL_NAME = "/v2/models/{model}[/versions/{version}]";
  private static final String OIP_READY = OIP_MODEL + "/ready";
  private static final String OIP_READY_NAME = OIP_MODEL_NAME + "/ready";
  private static final String OIP_INFER = OIP_MODEL + "/infer";
  private static final String OIP_INFER_NAME = OIP_MODEL_NAME + "/infer";
  /** The regular-expression routes by name, for a 405's Allow: vertx-web does not give a route's expression back. */
  private static final Map<String, Pattern> REGEX_ROUTES = Map.of(BATCH_NAME, Pattern.compile(BATCH_PATH),
      MODEL_NAME, Pattern.compile(MODEL_PATH), VERSION_NAME, Pattern.compile(VERSION_PATH),
      STREAM_NAME, Pattern.compile(STREAM_PATH), VERSION_STREAM_NAME, Pattern.compile(VERSION_STREAM_PATH),
      MONITOR_NAME, Pattern.compile(MONITOR_PATH), OIP_MODEL_NAME, Pattern.compile(OIP_MODEL),
      OIP_READY_NAME, Pattern.compile(OIP_READY), OIP_INFER_NAME, Pattern.compile(OIP_INFER));
  /** Route metadata naming the transport of a prediction route, for {@code predictions_total}. */
  static final String TRANSPORT = "transport";

  private Routes() {
  }

  static Router create(Vertx vertx, HttpServerVerticle.Dependencies deps, VersionScorers scorers,
                       ConnectionGuard guard) {
    Router router = Router.router(vertx);
    HttpServerVerticle.Observability ops = deps.observability();
    ServingMetrics metrics = ops.metrics();
    ProblemHandler problems = ProblemHandler.create(metrics, ops.refusalLog());
    PredictionService predictions = new PredictionService(deps.models(), scorers, deps.events());
    ApiKeyHandler predictKey = ApiKeyHandler.create(deps.keys(), Scope.PREDICT);
    ApiKeyHandler adminKey = ApiKeyHandler.create(deps.keys(), Scope.ADMIN);
    RateLimitHandler rateLimit = RateLimitHandler.create(deps.limiter());
    JsonContentTypeHandler json = JsonContentTypeHandler.create();
    BodyTimeoutHandler bodyTimeout = BodyTimeoutHandler.create(vertx, deps.http().bodyTimeoutMs());
    everyRequest(router, ops, guard, problems, deps.http().maxHeaderBytes());
    if (deps.http().corsOrigins().isSet()) {
      // Before every route, so that a preflight is answered (204) whatever the path, and without a key.
      named(router.route(), "cors", problems).handler(CorsPolicyHandler.create(deps.http().corsOrigins()));
    }

    // The hot routes come first, single predictions and then the probes: every route before the one that matches
    // costs each request a path match, and a regular-expression path (batch, docs assets) costs a regex.
    // On prediction routes, cheap refusals first: key, then quota, then content type, then size (the body handler
    // checks Content-Length before reading), and only then parsing and validation.
    named(router.post("/predict"), "/predict", problems).putMetadata(TRANSPORT, "http")
        .handler(predictKey).handler(rateLimit).handler(json).handler(bodyTimeout)
        .handler(guard.reserveBody(deps.http().maxBodyBytes())).handler(bodyLimit(deps.http().maxBodyBytes()))
        .handler(PredictHandler.create(predictions));

    // Probes, metrics and docs take no key and are never rate limited.
    probes(router, deps, problems);

    named(router.postWithRegex(BATCH_PATH), BATCH_NAME, problems)
        .putMetadata(TRANSPORT, "http-batch")
        .handler(predictKey).handler(rateLimit).handler(json).handler(bodyTimeout)
        .handler(guard.reserveBody(deps.http().maxBatchBodyBytes()))
        .handler(bodyLimit(deps.http().maxBatchBodyBytes()))
        .handler(BatchPredictHandler.create(predictions));

    named(readable(router, "/openapi.json"), "/openapi.json", problems).handler(ApiDocsHandlers.document(document(deps)));
    named(readable(router, "/docs"), "/docs", problems).handler(ApiDocsHandlers.page(deps.apiDocs()));
    named(readable(router, "/docs/:asset"), "/docs/{asset}", problems).handler(ApiDocsHandlers.asset(deps.apiDocs()));
    named(readable(router, "/version"), "/version", problems).handler(VersionHandler.create(deps.apiDocs().server(),
        deps.models()));
    // KServe V1 status: the served models, one model, one version.
    named(readable(router, "/v1/models"), "/v1/models", problems).handler(predictKey)
        .handler(ModelStatusHandler.list(deps.models()));
    named(readableRegex(router, MODEL_PATH), MODEL_NAME, problems).handler(predictKey)
        .handler(ModelStatusHandler.model(deps.models()));
    named(readableRegex(router, VERSION_PATH), VERSION_NAME, problems).handler(predictKey)
        .handler(ModelStatusHandler.model(deps.models()));
    if (servesMetrics(deps)) {
      named(readable(router, "/metrics"), "/metrics", problems).handler(MetricsHandler.create(ops.scrape()));
    }

    // The repository extension of the Open Inference Protocol; admin scope, small JSON bodies.
    named(router.post("/v2/repository/index"), "/v2/repository/index", problems).handler(adminKey)
        .handler(bodyLimit(4096)).handler(RepositoryHandlers.index(deps.control()));
    named(router.post("/v2/repository/models/:model/load"), "/v2/repository/models/{model}/load", problems)
        .handler(adminKey).handler(bodyLimit(4096))
        .handler(RepositoryHandlers.load(deps.control(), deps.controlMode()));
    named(router.post("/v2/repository/models/:model/unload"), "/v2/repository/models/{model}/unload", problems)
        .handler(adminKey).handler(bodyLimit(4096))
        .handler(RepositoryHandlers.unload(deps.control(), deps.controlMode()));

    openInference(router, deps, predictions, problems.openInference(), predictKey, rateLimit, json, bodyTimeout,
        guard);

    named(readableRegex(router, MONITOR_PATH), MONITOR_NAME, problems).handler(adminKey)
        .handler(MonitorHandler.create(deps.models()));

    // The stream's quota is taken per message, by the session, not per upgrade. A page of a foreign origin is
    // refused before its key is even looked at. The model and version are looked up at the upgrade (404 before it),
    // and again for each message.
    StreamUpgradeHandler stream = StreamUpgradeHandler.create(deps.keys(), predictions, deps.stream(),
        deps.limiter(), metrics, ConnectionGuard::upgraded);
    named(router.getWithRegex(STREAM_PATH), STREAM_NAME, problems)
        .handler(StreamOriginHandler.create(deps.stream().allowedOrigins()))
        .handler(ApiKeyHandler.allowingQueryParameter(deps.keys(), Scope.PREDICT)).handler(stream);
    named(router.getWithRegex(VERSION_STREAM_PATH), VERSION_STREAM_NAME, problems)
        .handler(StreamOriginHandler.create(deps.stream().allowedOrigins()))
        .handler(ApiKeyHandler.allowingQueryParameter(deps.keys(), Scope.PREDICT)).handler(stream);

    return failures(router, problems);
  }

  /** The protocol's documents for this server, with the extensions it serves over REST and gRPC alike. */
  static OpenInference openInference(HttpServerVerticle.Dependencies deps) {
    return new OpenInference(deps.apiDocs().server().name(), deps.apiDocs().server().version(),
        List.of("model_repository"));
  }

  /**
   * The Open Inference Protocol (KServe v2) over REST. Its failures are answered in the protocol's shape
   * ({@code {"error": "..."}}), mapped as every other route's; inference takes the batch route's body limit, since a
   * request may hold many rows.
   */
  private static void openInference(Router router, HttpServerVerticle.Dependencies deps,
                                    PredictionService predictions, ProblemHandler problems, ApiKeyHandler predictKey,
                                    RateLimitHandler rateLimit, JsonContentTypeHandler json,
                                    BodyTimeoutHandler bodyTimeout, ConnectionGuard guard) {
    OpenInference oip = openInference(deps);
    named(router.postWithRegex(OIP_INFER), OIP_INFER_NAME, problems).putMetadata(TRANSPORT, InferHandler.TRANSPORT)
        .handler(predictKey).handler(rateLimit).handler(json).handler(bodyTimeout)
        .handler(guard.reserveBody(deps.http().maxBatchBodyBytes()))
        .handler(bodyLimit(deps.http().maxBatchBodyBytes()))
        .handler(InferHandler.create(oip, predictions));
    named(readable(router, "/v2"), "/v2", problems).handler(OpenInferenceHandlers.server(oip));
    named(readableRegex(router, OIP_READY), OIP_READY_NAME, problems).handler(predictKey)
        .handler(OpenInferenceHandlers.ready(predictions));
    named(readableRegex(router, OIP_MODEL), OIP_MODEL_NAME, problems).handler(predictKey)
        .handler(OpenInferenceHandlers.model(oip, predictions));
  }

  /** Whether this table serves {@code /metrics}: metrics are on, and there is no management port to serve them. */
  private static boolean servesMetrics(HttpServerVerticle.Dependencies deps) {
    return deps.observability().scrape() != null && deps.http().managementPort() < 0;
  }

  /** The OpenAPI document of this table: every path it routes, {@code /metrics} only when it serves it. */
  static JsonObject document(HttpServerVerticle.Dependencies deps) {
    return (servesMetrics(deps) ? deps.apiDocs() : deps.apiDocs().withoutPath("/metrics")).openApi();
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
    everyRequest(router, ops, guard, problems, deps.http().maxHeaderBytes());
    probes(router, deps, problems);
    if (ops.scrape() != null) {
      named(readable(router, "/metrics"), "/metrics", problems).handler(MetricsHandler.create(ops.scrape()));
    }
    return failures(router, problems);
  }

  /** What every request passes first, in this order. */
  private static void everyRequest(Router router, HttpServerVerticle.Observability ops, ConnectionGuard guard,
                                   ProblemHandler problems, int maxHeaderBytes) {
    // First: every request is charged to its connection, or refused when the connection or the server is full.
    router.route().handler(guard.admit());
    if (ops.scrape() != null) {
      router.route().handler(HttpMetricsHandler.create(ops.metrics().http()));
    }
    router.route().handler(CorrelationIdHandler.create()).handler(AccessLogHandler.create(ops.accessLogPercent()))
        .handler(HeaderListLimitHandler.create(maxHeaderBytes)).handler(FramingCheckHandler.create())
        .handler(PathCheckHandler.create(problems));
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
    // vertx-web decodes the query string while matching a route with path parameters (the stream's, the batch
    // route's) and, on a bad percent escape, answers a bare 400 through this handler: it gets its problem too.
    router.errorHandler(400, ctx -> {
      Problem problem;
      try {
        ctx.request().params();
        problem = Problems.forStatus(400);
      } catch (IllegalArgumentException e) {
        problem = Problems.forStatus(400, "The query string cannot be decoded: " + e.getMessage());
      }
      problems.answer(ctx, problem, null);
    });
    router.errorHandler(404, problems);
    router.errorHandler(405, ctx -> {
      ctx.response().putHeader(HttpHeaders.ALLOW, allowed(router, ctx.normalizedPath()));
      problems.handle(ctx);
    });
    router.errorHandler(500, problems);
    return router;
  }

  /** A probe answers GET and HEAD alike: some load balancers and uptime checkers probe with HEAD. */
  private static Route probe(Router router, String path) {
    return readable(router, path);
  }

  /**
   * A route that is read takes HEAD as well as GET (RFC 9110, 9.3.2): the GET's handler runs, and Vert.x sends its
   * head, Content-Length included, without the body.
   */
  private static Route readable(Router router, String path) {
    return router.route(path).method(HttpMethod.GET).method(HttpMethod.HEAD);
  }

  private static Route readableRegex(Router router, String regex) {
    return router.routeWithRegex(regex).method(HttpMethod.GET).method(HttpMethod.HEAD);
  }

  /**
   * The methods the routes of this path take, for a 405's {@code Allow} (RFC 9110, 15.5.6): vertx-web knows that the
   * path matched and the method did not, but not which methods would have.
   */
  static String allowed(Router router, String path) {
    Set<HttpMethod> methods = new TreeSet<>(Comparator.comparing(HttpMethod::name));
    for (Route route : router.getRoutes()) {
      if (route.methods() != null && !route.methods().isEmpty() && matches(route, path)) {
        methods.addAll(route.methods());
      }
    }
    return methods.stream().map(HttpMethod::name).collect(Collectors.joining(", "));
  }

  private static boolean matches(Route route, String path) {
    if (route.isRegexPath()) {
      Pattern pattern = REGEX_ROUTES.get(route.getName());
      return pattern != null && pattern.matcher(path).matches();
    }
    String template = route.getPath();
    return template != null && (template.indexOf(':') < 0 ? template.equals(path)
        : Pattern.matches(template.replaceAll(":[A-Za-z0-9_]+", "[^/]+"), path));
  }

  private static Route named(Route route, String name, ProblemHandler problems) {
    return route.setName(name).failureHandler(problems);
  }

  private static BodyHandler bodyLimit(int bytes) {
    // No file uploads: the default handler would create an uploads directory, blocking file I/O.
    return BodyHandler.create(false).setBodyLimit(bytes);
  }
}
