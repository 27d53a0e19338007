package io.churnserving.serving;

import io.churnserving.config.ServerConfig;
import io.churnserving.metrics.ServingMetrics;
import io.churnserving.model.ModelLoadException;
import io.churnserving.observability.ScoringSpans;
import io.churnserving.repository.ModelRepository;
import io.churnserving.repository.ModelSettings;
import io.churnserving.repository.ModelVersion;
import io.churnserving.repository.VersionLoader;
import io.churnserving.scoring.BatchingScorer;
import io.churnserving.scoring.ModelCall;
import io.churnserving.scoring.ModelCircuit;
import io.churnserving.scoring.ScorerFactory;
import io.churnserving.scoring.ScoringVerticle;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Context;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.ThreadingModel;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.NavigableSet;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads and unloads model versions while the server serves, as Triton's model control does: at start, whatever the
 * version policies pick; later, by polling the repository or on an explicit call. Every change follows one order, so
 * that nothing admitted is lost and nothing half-made serves:
 *
 * <ol>
 *   <li>a new or changed version is loaded, checked and warmed on a worker thread, and its workers deployed, while
 *       what served before keeps serving; a version that fails is listed {@code UNAVAILABLE} with its reason and
 *       changes nothing else;</li>
 *   <li>the served set is swapped in one volatile write: from then on every request resolves to the new set;</li>
 *   <li>a version that left the set is {@code UNLOADING}: it takes no new requests, and its workers, circuit breaker,
 *       meters and ONNX session are released only once every row it admitted is answered.</li>
 * </ol>
 *
 * <p>Changes run one at a time, on the context this was started on; callers may call from any thread.
 */
public final class ModelControl {
  private static final Logger LOG = LoggerFactory.getLogger(ModelControl.class);
  /** The scoring workers' thread pools are named after this, the model and the version. */
  private static final String SCORING_POOL = "churn-scoring";
  /**
   * How long a version that left the set waits before it starts counting what it still has to answer: a request that
   * resolved it just before the swap is validated and admitted within the same event-loop task, far less than this.
   */
  private static final long SWAP_SETTLE_MS = 50;
  private static final long DRAIN_CHECK_MS = 20;

  /** What the model control needs from the composition root. */
  public record Settings(ModelRepository repository, Function<String, ModelSettings> settingsFor,
                         String defaultModel, ServerConfig.Scoring scoring, long drainMs, MeterRegistry registry,
                         ScoringSpans spans, UnaryOperator<ModelCall> faults, Placement placement) {

    /** One process: every version loaded and scored here. */
    public Settings(ModelRepository repository, Function<String, ModelSettings> settingsFor, String defaultModel,
                    ServerConfig.Scoring scoring, long drainMs, MeterRegistry registry, ScoringSpans spans,
                    UnaryOperator<ModelCall> faults) {
      this(repository, settingsFor, defaultModel, scoring, drainMs, registry, spans, faults, Placement.local());
    }
  }

  /** The files a version is made of, by size and time, to tell a changed version folder in poll mode. */
  private record Fingerprint(List<Long> parts) {
    static Fingerprint of(Path dir) throws IOException {
      List<Long> parts = new ArrayList<>();
      for (String file : new String[] {"model.onnx", "metadata.json", "schema.json"}) {
        Path f = dir.resolve(file);
        if (Files.exists(f)) {
          parts.add(Files.size(f));
          parts.add(Files.getLastModifiedTime(f).toMillis());
        } else {
          parts.add(-1L);
        }
      }
      return new Fingerprint(parts);
    }
  }

  private record Loaded(ServedVersion served, String deployment, Fingerprint fingerprint) {
  }

  private final Vertx vertx;
  private final Settings settings;
  private final ServedModels served;
  private final Map<String, NavigableMap<Long, Loaded>> loaded = new TreeMap<>();
  private final Map<String, ModelSettings> models = new TreeMap<>();
  private final Map<String, VersionStatus> index = new TreeMap<>();
  private Context context;
  private Future<?> tail = Future.succeededFuture();
  private ServingMetrics server;
  /** Loads so far, numbering each load's worker address. */
  private long loads;

  public ModelControl(Vertx vertx, Settings settings) {
    this.vertx = vertx;
    this.settings = settings;
    this.served = new ServedModels(settings.defaultModel(), Map.of(), List.of());
  }

  /** What transports read: the served set, swapped whole on every change. */
  public ServedModels served() {
    return served;
  }

  /** The server-wide meters, labelled with the default version that was served first. Null before {@link #start}. */
  public ServingMetrics serverMetrics() {
    return server;
  }

  /**
   * Loads what the policies pick. Fails when a required model (the default one always) is left with no version: with
   * the failure of its one version when it had one, so that the message names the file at fault.
   */
  public Future<ServedModels> start() {
    context = vertx.getOrCreateContext();
    return vertx.executeBlocking(() -> {
      List<ModelRepository.Planned> plan = settings.repository().plan(settings.settingsFor());
      List<Candidate> candidates = new ArrayList<>();
      for (ModelRepository.Planned model : plan) {
        models.put(model.name(), model.settings());
        ModelLoadException last = null;
        int ready = 0;
        for (long v : model.versions()) {
          Path dir = settings.repository().versionDir(model.name(), v);
          try {
            candidates.add(load(dir));
            ready++;
          } catch (ModelLoadException e) {
            last = e;
            unavailable(model.name(), v, e.getMessage());
          }
        }
        if (ready == 0 && model.settings().required()) {
          candidates.forEach(c -> c.version().model().close());
          if (last != null && model.versions().size() == 1) {
            throw last;
          }
          throw new ModelLoadException("model " + model.name() + " has no version to serve: "
              + (last != null ? "every version failed its checks, the last: " + last.getMessage()
              : "its version policy " + model.settings().policy() + " picks none of the version folders in "
                  + settings.repository().root().resolve(model.name()).toAbsolutePath().normalize()));
        }
      }
      if (!models.containsKey(settings.defaultModel())) {
        throw new ModelLoadException("the default model " + settings.defaultModel() + " is not in the repository "
            + settings.repository().root().toAbsolutePath().normalize());
      }
      return candidates;
    }).compose(candidates -> {
      ModelVersion first = defaultOf(candidates);
      server = new ServingMetrics(settings.registry(), first.name(), first.version());
      List<Future<Loaded>> deployed = new ArrayList<>();
      for (Candidate c : candidates) {
        deployed.add(deploy(c));
      }
      return Future.all(deployed).map(all -> {
        for (Future<Loaded> f : deployed) {
          put(f.result());
        }
        publish();
        return served;
      });
    });
  }

  /**
   * Brings one model in line with its folder and policy: loads the versions the policy picks that are not loaded or
   * whose files changed, then unloads those it no longer picks. With {@code labels}, the model's labels become these.
   * The future completes once the new set serves; versions that left it drain afterwards.
   */
  public Future<Void> load(String model, Map<String, Long> labels) {
    return serialized(() -> reconcile(model, labels, true)).compose(failures -> failures.isEmpty()
        ? Future.succeededFuture() : Future.failedFuture(new ModelLoadFailed(model, failures)));
  }

  /** Polls every {@code intervalMs}: what poll mode does. A poll that is still running is not started again. */
  public void startPolling(long intervalMs) {
    boolean[] running = {false};
    vertx.setPeriodic(intervalMs, id -> {
      if (!running[0]) {
        running[0] = true;
        poll().onComplete(ar -> {
          running[0] = false;
          if (ar.failed()) {
            LOG.atWarn().setCause(ar.cause()).log("Polling the model repository failed; the served set is unchanged");
          }
        });
      }
    });
  }

  /** Unloads every version of a model; it stays known, with no version, until it is loaded again. */
  public Future<Void> unload(String model) {
    return serialized(() -> {
      if (!models.containsKey(model)) {
        return Future.failedFuture(new ModelNotFound("model " + model + " is not in the repository"));
      }
      NavigableMap<Long, Loaded> versions = loaded.remove(model);
      if (versions != null) {
        versions.values().forEach(l -> unloading(l.served()));
      }
      publish();
      if (versions != null) {
        versions.values().forEach(this::drainThenRelease);
      }
      return Future.succeededFuture();
    });
  }

  /** Brings every model of the repository in line with its folder: what poll mode runs every interval. */
  public Future<Void> poll() {
    return serialized(() -> vertx.executeBlocking(() -> settings.repository().scan().keySet())
        .compose(names -> {
          List<String> all = new ArrayList<>(names);
          loaded.keySet().stream().filter(n -> !names.contains(n)).forEach(all::add);
          Future<Void> chain = Future.succeededFuture();
          for (String name : all) {
            chain = chain.compose(v -> reconcile(name, null, false)).mapEmpty();
          }
          return chain;
        }));
  }

  /** The repository index: every version found or asked for, with its state. */
  public List<VersionStatus> index() {
    return List.copyOf(index.values());
  }

  /** The reasons of the versions that failed to load, empty when every version picked serves. */
  private Future<List<String>> reconcile(String model, Map<String, Long> labels, boolean explicit) {
    List<String> failures = new ArrayList<>();
    return vertx.executeBlocking(() -> {
      Path dir = settings.repository().root().resolve(model);
      Map<Long, Fingerprint> present = new TreeMap<>();
      if (Files.isDirectory(dir)) {
        NavigableSet<Long> versions = settings.repository().scan().getOrDefault(model, new TreeSet<>());
        for (long v : versions) {
          present.put(v, Fingerprint.of(settings.repository().versionDir(model, v)));
        }
      } else if (explicit) {
        throw new ModelNotFound("model " + model + " is not in the repository");
      }
      return present;
    }).compose(present -> {
      ModelSettings base = models.computeIfAbsent(model, settings.settingsFor());
      ModelSettings current = labels == null ? base : base.withLabels(labels);
      models.put(model, current);
      NavigableSet<Long> wanted = current.policy().select(new TreeSet<>(present.keySet()));
      NavigableMap<Long, Loaded> now = loaded.getOrDefault(model, new TreeMap<>());
      List<Long> toLoad = new ArrayList<>();
      for (long v : wanted) {
        Loaded l = now.get(v);
        if (l == null || !l.fingerprint().equals(present.get(v))) {
          toLoad.add(v);
        }
      }
      List<Long> toUnload = now.keySet().stream().filter(v -> !wanted.contains(v)).toList();
      if (toLoad.isEmpty() && toUnload.isEmpty()) {
        publish();
        return Future.succeededFuture(failures);
      }
      Future<Void> chain = Future.succeededFuture();
      List<Loaded> replaced = new ArrayList<>();
      for (long v : toLoad) {
        chain = chain.compose(x -> loadAndDeploy(model, v, failures)).map(l -> {
          if (l != null) {
            Loaded old = put(l);
            if (old != null) {
              replaced.add(old);
            }
          }
          return null;
        });
      }
      return chain.map(x -> {
        NavigableMap<Long, Loaded> versions = loaded.getOrDefault(model, new TreeMap<>());
        // A version that was to take over and failed leaves one it was to replace serving (the newest first), as
        // TF Serving's availability-preserving policy does: a bad new version never leaves a model with less.
        long failedNew = toLoad.stream().filter(v -> !versions.containsKey(v)).count();
        List<Long> keep = toUnload.stream().sorted(java.util.Comparator.reverseOrder()).limit(failedNew).toList();
        for (long v : toUnload) {
          if (keep.contains(v)) {
            continue;
          }
          Loaded l = versions.remove(v);
          if (l != null) {
            replaced.add(l);
          }
        }
        replaced.forEach(l -> unloading(l.served()));
        publish();
        replaced.forEach(this::drainThenRelease);
        return failures;
      });
    });
  }

  /** Loads and deploys one version; null, with the version listed unavailable, when it fails its checks. */
  private Future<Loaded> loadAndDeploy(String model, long version, List<String> failures) {
    Path dir = settings.repository().versionDir(model, version);
    status(model, version, VersionState.LOADING, "");
    return vertx.executeBlocking(() -> load(dir))
        .compose(this::deploy)
        .recover(e -> {
          String reason = e instanceof ModelLoadException ? e.getMessage() : String.valueOf(e);
          unavailable(model, version, reason);
          failures.add("version " + version + ": " + reason);
          return Future.succeededFuture(null);
        });
  }

  private record Candidate(ModelVersion version, Fingerprint fingerprint) {
  }

  /** Blocking: reads, checks and warms a version folder. */
  private Candidate load(Path dir) throws IOException {
    Fingerprint fingerprint = Fingerprint.of(dir);
    ServerConfig.Scoring s = settings.scoring();
    return new Candidate(settings.placement().loadsModels()
        ? VersionLoader.load(dir, s.maxInstances(), s.intraOpThreads())
        : VersionLoader.describe(dir, s.maxInstances()), fingerprint);
  }

  /**
   * Gives a loaded version its own scoring stack: meters labelled with it, a circuit breaker, a backlog and per-loop
   * batchers, and workers on its own address in a pool of their own (as many threads as workers, rather than Vert.x's
   * shared pool of twenty, so other blocking work cannot hold up a model call, nor one version's slow calls
   * another's).
   */
  private Future<Loaded> deploy(Candidate candidate) {
    ModelVersion mv = candidate.version();
    ServerConfig.Scoring s = settings.scoring();
    int workers = models.get(mv.name()).workers();
    ServingMetrics metrics = server.forVersion(mv.name(), mv.version());
    metrics.gauge("model_load_seconds", "Time the model took to load and warm up",
        () -> mv.model().loadMillis() / 1e3);
    ModelCircuit circuit = new ModelCircuit(vertx, s.circuitMaxFailures(), s.circuitResetMs(), metrics);
    Placement placement = settings.placement();
    String address = placement.workerAddress(mv.name(), mv.version(), ++loads);
    ScorerFactory scorers = new ScorerFactory(mv.model().edge(), new BatchingScorer.Settings(s.maxBatchSize(), s.maxBatchDelayMicros(),
        workers, s.timeoutMs(), s.queueRows(), address, placement.dispatch(mv.name(), mv.version(), address)),
        circuit, metrics, settings.spans());
    ServedVersion version = new ServedVersion(mv, address, circuit, scorers, metrics);
    if (!placement.runsWorkers()) {
      return Future.succeededFuture(new Loaded(version, null, candidate.fingerprint()));
    }
    return vertx.deployVerticle(() -> new ScoringVerticle(mv.model(), address, settings.faults(), metrics),
            new DeploymentOptions().setThreadingModel(ThreadingModel.WORKER).setInstances(workers)
                .setWorkerPoolName(SCORING_POOL + "-" + mv.name() + "-" + mv.version() + "-" + loads)
                .setWorkerPoolSize(workers))
        .map(id -> new Loaded(version, id, candidate.fingerprint()))
        .onFailure(e -> release(version, null));
  }

  /** Adds a deployed version; the one it replaces (same number, changed files), if any. */
  private Loaded put(Loaded l) {
    status(l.served().name(), Long.parseLong(l.served().version()), VersionState.READY, "");
    Counter.builder("model_loads").description("Model versions loaded, checked, warmed and put in service")
        .tags("model", l.served().name()).register(settings.registry()).increment();
    LOG.atInfo().addKeyValue("model", l.served().name()).addKeyValue("model_version", l.served().version())
        .addKeyValue("model_load_ms", l.served().model().model().loadMillis()).log("Model version loaded");
    return loaded.computeIfAbsent(l.served().name(), n -> new TreeMap<>())
        .put(Long.parseLong(l.served().version()), l);
  }

  private void unloading(ServedVersion v) {
    if (!isLoaded(v)) {
      status(v.name(), Long.parseLong(v.version()), VersionState.UNLOADING, "");
    }
  }

  private boolean isLoaded(ServedVersion v) {
    Loaded now = loaded.getOrDefault(v.name(), new TreeMap<>()).get(Long.parseLong(v.version()));
    return now != null && now.served() != v;
  }

  /** Waits until a version that left the set has answered every row it admitted, then releases it. */
  private void drainThenRelease(Loaded l) {
    long giveUp = System.nanoTime() + settings.drainMs() * 1_000_000;
    Promise<Void> drained = Promise.promise();
    vertx.setTimer(SWAP_SETTLE_MS, id -> waitForEmpty(l.served(), giveUp, drained));
    drained.future().onComplete(ar -> release(l.served(), l.deployment()));
  }

  private void waitForEmpty(ServedVersion v, long giveUp, Promise<Void> drained) {
    long queued = v.scorers().queued();
    if (queued == 0 || System.nanoTime() - giveUp > 0) {
      if (queued > 0) {
        LOG.atWarn().addKeyValue("model", v.name()).addKeyValue("model_version", v.version())
            .addKeyValue("rows", queued).log("Unloading a model version with rows still unanswered after the drain");
      }
      drained.complete();
    } else {
      vertx.setTimer(DRAIN_CHECK_MS, id -> waitForEmpty(v, giveUp, drained));
    }
  }

  /** Undeploys a version's workers, then frees its breaker, meters and ONNX session. */
  private void release(ServedVersion v, String deployment) {
    v.scorers().close();
    Future<?> undeployed = deployment == null ? Future.succeededFuture() : vertx.undeploy(deployment);
    undeployed.eventually(() -> vertx.executeBlocking(() -> {
      v.model().model().close();
      return null;
    })).onComplete(ar -> {
      v.circuit().close();
      if (v.metrics() != server) {
        v.metrics().close(!isServedNow(v));
      }
      if (!isServedNow(v)) {
        status(v.name(), Long.parseLong(v.version()), VersionState.UNAVAILABLE, "unloaded");
      }
      LOG.atInfo().addKeyValue("model", v.name()).addKeyValue("model_version", v.version())
          .log("Model version unloaded");
    });
  }

  private boolean isServedNow(ServedVersion v) {
    return loaded.getOrDefault(v.name(), new TreeMap<>()).containsKey(Long.parseLong(v.version()));
  }

  private void unavailable(String model, long version, String reason) {
    status(model, version, VersionState.UNAVAILABLE, reason);
    Counter.builder("model_load_failures").description("Model versions that failed their load checks")
        .tags("model", model, "version", Long.toString(version)).register(settings.registry()).increment();
    LOG.atError().addKeyValue("model", model).addKeyValue("model_version", version).addKeyValue("reason", reason)
        .log("Model version failed its checks; it is not served");
  }

  private void status(String model, long version, VersionState state, String reason) {
    index.put(model + "/" + String.format("%019d", version),
        new VersionStatus(model, Long.toString(version), state, reason));
  }

  /** Swaps the served set for what is loaded now. */
  private void publish() {
    Map<String, ServedModel> out = new TreeMap<>();
    for (Map.Entry<String, ModelSettings> m : models.entrySet()) {
      NavigableMap<Long, ServedVersion> versions = new TreeMap<>();
      loaded.getOrDefault(m.getKey(), new TreeMap<>()).forEach((v, l) -> versions.put(v, l.served()));
      out.put(m.getKey(), new ServedModel(m.getKey(), m.getValue(), versions));
    }
    served.publish(out, index());
  }

  private ModelVersion defaultOf(List<Candidate> candidates) {
    TreeMap<Long, ModelVersion> versions = new TreeMap<>();
    for (Candidate c : candidates) {
      if (c.version().name().equals(settings.defaultModel())) {
        versions.put(Long.parseLong(c.version().version()), c.version());
      }
    }
    return Objects.requireNonNull(versions.get(models.get(settings.defaultModel()).defaultOf(versions.navigableKeySet())),
        "no default version");
  }

  /** Runs changes one after the other on the control context, whatever thread asks. */
  private <T> Future<T> serialized(Supplier<Future<T>> change) {
    Promise<T> done = Promise.promise();
    context.runOnContext(v -> {
      tail = tail.eventually(() -> {
        Future<T> f;
        try {
          f = change.get();
        } catch (RuntimeException e) {
          f = Future.failedFuture(e);
        }
        return f.onComplete(done);
      });
    });
    return done.future();
  }
}
