package io.churnserving.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The gRPC server's meters, named as gRPC's own OpenTelemetry instrumentation names them (gRFC A66):
 * {@code grpc_server_call_duration_seconds} by {@code grpc_method} (the full method name) and {@code grpc_status}
 * (the status code's name), whose count is the calls finished. Each method and status resolves its timer once, as
 * {@link HttpMeters} does per route. Cardinality is bounded: the methods of the service (a call to another method is
 * answered by the gRPC server itself, unseen here) times the 17 status codes.
 */
public final class GrpcMeters {
  /** gRPC's status codes, 0 (OK) to 16 (UNAUTHENTICATED). */
  private static final int CODES = 17;

  private final MeterRegistry registry;
  private final Map<String, AtomicReferenceArray<Timer>> byMethod = new ConcurrentHashMap<>();

  GrpcMeters(MeterRegistry registry) {
    this.registry = registry;
  }

  /**
   * @param method the full method name, {@code inference.GRPCInferenceService/ModelInfer}
   * @param code   the status code sent
   * @param name   its name, {@code OK} or {@code INVALID_ARGUMENT}
   * @param nanos  from the call's head to its status
   */
  public void end(String method, int code, String name, long nanos) {
    AtomicReferenceArray<Timer> codes = byMethod.computeIfAbsent(method, m -> new AtomicReferenceArray<>(CODES));
    int slot = Math.floorMod(code, CODES);
    Timer timer = codes.get(slot);
    if (timer == null) {
      timer = Timer.builder("grpc.server.call.duration").description("gRPC calls, from head to status")
          .tags("grpc_method", method, "grpc_status", name).register(registry);
      codes.compareAndSet(slot, null, timer); // a racing thread registered the same timer
    }
    timer.record(nanos, TimeUnit.NANOSECONDS);
  }
}
