package io.churnserving.bench;

import io.vertx.core.buffer.Buffer;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * A pool of distinct random valid request bodies, made before the run so making them costs nothing during it, and
 * different from one request to the next so no cache can help the server.
 */
final class RequestBodies {
  static final int POOL = 65_536;
  private static final String[] CONTRACTS = {"month-to-month", "one_year", "two_year"};
  private static final String[] SERVICES = {"DSL", "Fiber", "None"};

  private final Buffer[] bodies;
  private int next;

  RequestBodies(long seed, int batchSize, int poolSize) {
    SplittableRandom random = new SplittableRandom(seed);
    bodies = new Buffer[poolSize];
    for (int i = 0; i < poolSize; i++) {
      if (batchSize <= 0) {
        bodies[i] = Buffer.buffer(instance(random));
      } else {
        StringBuilder sb = new StringBuilder(batchSize * 130).append("{\"instances\":[");
        for (int j = 0; j < batchSize; j++) {
          sb.append(j == 0 ? "" : ",").append(instance(random));
        }
        bodies[i] = Buffer.buffer(sb.append("]}").toString());
      }
    }
  }

  static String instance(SplittableRandom random) {
    return String.format(Locale.ROOT, "{\"tenure_months\":%d,\"monthly_charges\":%.2f,\"contract_type\":\"%s\","
            + "\"num_products\":%d,\"internet_service\":\"%s\"}", 1 + random.nextInt(120),
        18 + random.nextDouble() * 130, CONTRACTS[random.nextInt(3)], 1 + random.nextInt(8),
        SERVICES[random.nextInt(3)]);
  }

  /** The next body; called from one event loop only. */
  Buffer next() {
    Buffer body = bodies[next];
    next = (next + 1) % bodies.length;
    return body;
  }

  int size() {
    return bodies.length;
  }
}
