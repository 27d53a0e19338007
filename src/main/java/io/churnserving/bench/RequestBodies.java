package io.churnserving.bench;

import io.vertx.core.buffer.Buffer;
import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * A pool of distinct, random, valid request bodies, made before the run so that making them costs nothing during
 * it, and different from one request to the next so that no cache can help the target. The same seed gives the same
 * pool. Immutable once built; each event loop reads it through its own {@link Cursor}.
 *
 * <p>Values follow {@code bench/predict.lua}: tenure 1-120 months, monthly charges 18.00-148.00 with two
 * decimals, one of three contracts, 1-8 products, one of three internet services.
 */
public final class RequestBodies {
  /** Single bodies in the pool: enough that a 64-connection run never sends the same body twice in a row. */
  static final int SINGLE_POOL = 65_536;
  /** Batch bodies are large (about 130 bytes per instance), so their pool is bounded by memory instead. */
  static final long BATCH_POOL_BYTES = 64L << 20;
  static final int MIN_BATCH_POOL = 16;

  private static final String[] CONTRACTS = {"month-to-month", "one_year", "two_year"};
  private static final String[] SERVICES = {"DSL", "Fiber", "None"};
  private static final int APPROX_INSTANCE_BYTES = 130;

  private final Buffer[] bodies;
  /** The same single customers as text, for WebSocket text frames (which take a String); null for batches. */
  private final String[] texts;

  private RequestBodies(Buffer[] bodies, String[] texts) {
    this.bodies = bodies;
    this.texts = texts;
  }

  /** The pool for these options: single customers, or batches of {@code options.batchSize()}. */
  static RequestBodies forOptions(BenchOptions options) {
    return options.body() == BenchOptions.Body.BATCH ? batches(options.seed(), options.batchSize(),
        batchPoolSize(options.batchSize())) : singles(options.seed(), SINGLE_POOL);
  }

  /** {@code size} distinct single-customer bodies. */
  public static RequestBodies singles(long seed, int size) {
    SplittableRandom random = new SplittableRandom(seed);
    // 112 million possible customers, so a pool of 65,536 draws about 20 twins; they are drawn again.
    Set<String> seen = new HashSet<>(size * 2);
    Buffer[] bodies = new Buffer[size];
    String[] texts = new String[size];
    for (int i = 0; i < size; ) {
      String body = instance(random, new StringBuilder(APPROX_INSTANCE_BYTES)).toString();
      if (seen.add(body)) {
        texts[i] = body;
        bodies[i++] = Buffer.buffer(body);
      }
    }
    return new RequestBodies(bodies, texts);
  }

  /** {@code size} bodies of {@code {"instances": [...]}} with {@code batchSize} customers each. */
  public static RequestBodies batches(long seed, int batchSize, int size) {
    SplittableRandom random = new SplittableRandom(seed);
    Buffer[] bodies = new Buffer[size];
    for (int i = 0; i < size; i++) {
      StringBuilder sb = new StringBuilder(batchSize * APPROX_INSTANCE_BYTES + 16).append("{\"instances\":[");
      for (int j = 0; j < batchSize; j++) {
        instance(random, j == 0 ? sb : sb.append(','));
      }
      bodies[i] = Buffer.buffer(sb.append("]}").toString());
    }
    return new RequestBodies(bodies, null);
  }

  static int batchPoolSize(int batchSize) {
    long fits = BATCH_POOL_BYTES / ((long) batchSize * APPROX_INSTANCE_BYTES);
    return (int) Math.max(MIN_BATCH_POOL, Math.min(SINGLE_POOL, fits));
  }

  /** Appends one random valid customer, written by hand: String.format would make building the pool slow. */
  static StringBuilder instance(SplittableRandom random, StringBuilder sb) {
    int cents = 1800 + random.nextInt(13_001);
    sb.append("{\"tenure_months\":").append(1 + random.nextInt(120))
        .append(",\"monthly_charges\":").append(cents / 100).append('.');
    int fraction = cents % 100;
    sb.append(fraction < 10 ? "0" : "").append(fraction)
        .append(",\"contract_type\":\"").append(CONTRACTS[random.nextInt(CONTRACTS.length)])
        .append("\",\"num_products\":").append(1 + random.nextInt(8))
        .append(",\"internet_service\":\"").append(SERVICES[random.nextInt(SERVICES.length)]).append("\"}");
    return sb;
  }

  /** How many bodies the pool holds. */
  public int size() {
    return bodies.length;
  }

  /** Body {@code index} of the pool, to send as it is (a request's body is never changed). */
  public Buffer get(int index) {
    return bodies[index];
  }

  /**
   * Single customer {@code index} as JSON text, to embed in a WebSocket message.
   *
   * @throws IllegalStateException on a pool of batches, which has no single customers
   */
  public String text(int index) {
    if (texts == null) {
      throw new IllegalStateException("a pool of batches has no single customers");
    }
    return texts[index];
  }

  /**
   * Bodies for one event loop of {@code loops}: loop {@code w} takes {@code w, w + loops, ...}, so loops walk
   * different bodies, and each keeps its own position without a lock.
   */
  Cursor cursor(int loop, int loops) {
    return new Cursor(loop, loops);
  }

  /** One event loop's walk through the pool; used from that loop only. */
  final class Cursor {
    private final int step;
    private int next;

    private Cursor(int start, int step) {
      this.next = start % bodies.length;
      this.step = step;
    }

    Buffer next() {
      Buffer body = bodies[next];
      next = (next + step) % bodies.length;
      return body;
    }

    /**
     * The next single customer as JSON text, {@code {"tenure_months": ...}}, to embed in a WebSocket message.
     *
     * @throws IllegalStateException on a pool of batches, which has no single customers
     */
    String nextInstance() {
      if (texts == null) {
        throw new IllegalStateException("a pool of batches has no single customers");
      }
      String text = texts[next];
      next = (next + step) % bodies.length;
      return text;
    }
  }
}
