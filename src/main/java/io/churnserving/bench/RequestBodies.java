package io.churnserving.bench;

import io.churnserving.validation.RequestValidator;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * A pool of distinct, random, valid request bodies, made before the run so that making them costs nothing during
 * it, and different from one request to the next so that no cache can help the target. The same seed and schema
 * give the same pool. Immutable once built; each event loop reads it through its own {@link Cursor}.
 *
 * <p>Each instance is drawn from a model version's request schema ({@link RequestValidator#sample}), so the
 * harness sends whatever that version accepts without naming a field of any model.
 */
public final class RequestBodies {
  /** Single bodies in the pool: enough that a 64-connection run never sends the same body twice in a row. */
  static final int SINGLE_POOL = 65_536;
  /** Batch bodies are large (about 130 KB for 1,000 churn instances), so their pool is bounded by memory instead. */
  static final long BATCH_POOL_BYTES = 64L << 20;
  static final int MIN_BATCH_POOL = 16;
  /**
   * Draws in a row that found only bodies already pooled, after which a schema is taken to have no more: one with
   * few possible instances (a single enum, say) then gets a smaller pool instead of an endless search.
   */
  static final int MAX_REPEATS = 10_000;

  private final Buffer[] bodies;
  /** The same single instances as text, for WebSocket text frames (which take a String); null for batches. */
  private final String[] texts;

  private RequestBodies(Buffer[] bodies, String[] texts) {
    this.bodies = bodies;
    this.texts = texts;
  }

  /**
   * The pool for these options: single instances, batches of {@code options.batchSize()}, or the Open Inference
   * Protocol's bodies ({@link OipBodies}), as JSON over HTTP or as encoded messages over gRPC.
   *
   * @param raw the model's input tensor, for {@code --body raw}; null otherwise
   */
  static RequestBodies forOptions(BenchOptions options, RequestValidator schema, RawInput raw) {
    return switch (options.body()) {
      case BATCH -> batches(schema, options.seed(), options.batchSize(), SINGLE_POOL, BATCH_POOL_BYTES);
      case SINGLE -> singles(schema, options.seed(), SINGLE_POOL);
      case NAMED -> OipBodies.named(distinct(schema, new SplittableRandom(options.seed()), SINGLE_POOL),
          OipBodies.Form.of(options));
      case RAW -> OipBodies.raw(raw, options.batchSize(), options.seed(), OipBodies.Form.of(options),
          SINGLE_POOL, BATCH_POOL_BYTES);
    };
  }

  /** A pool of bodies made elsewhere ({@link OipBodies}), sent as they are. */
  static RequestBodies of(Buffer[] bodies) {
    return new RequestBodies(bodies, null);
  }

  /**
   * {@code size} distinct single-instance bodies drawn from {@code schema}; fewer when the schema allows fewer
   * (see {@link #MAX_REPEATS}), never none.
   */
  public static RequestBodies singles(RequestValidator schema, long seed, int size) {
    String[] texts = distinct(schema, new SplittableRandom(seed), size);
    Buffer[] bodies = new Buffer[texts.length];
    for (int i = 0; i < texts.length; i++) {
      bodies[i] = Buffer.buffer(texts[i]);
    }
    return new RequestBodies(bodies, texts);
  }

  /** {@code size} bodies of {@code {"instances": [...]}} with {@code batchSize} instances each. */
  public static RequestBodies batches(RequestValidator schema, long seed, int batchSize, int size) {
    return batches(schema, seed, batchSize, size, Long.MAX_VALUE);
  }

  /**
   * Batch bodies until there are {@code maxSize} of them or they hold {@code maxBytes}, whichever comes first, but
   * at least {@link #MIN_BATCH_POOL} (or {@code maxSize}, if smaller): the bytes are counted as the bodies are
   * made, since their size depends on the schema.
   *
   * <p>The instances come from a pool of at most {@link #SINGLE_POOL} distinct ones, taken in turn while they last,
   * so small pools hold no instance twice; past that each batch picks at random among them, so batches still
   * differ from one another. Drawing an instance from the schema takes about a microsecond, and a 64 MB pool of
   * churn batches holds half a million instances: drawing each would add a second before every run.
   */
  static RequestBodies batches(RequestValidator schema, long seed, int batchSize, int maxSize, long maxBytes) {
    SplittableRandom random = new SplittableRandom(seed);
    String[] instances = distinct(schema, random, (int) Math.min(SINGLE_POOL, (long) batchSize * maxSize));
    List<Buffer> bodies = new ArrayList<>();
    long bytes = 0;
    int capacity = 64;
    int next = 0;
    while (bodies.size() < maxSize && (bytes < maxBytes || bodies.size() < MIN_BATCH_POOL)) {
      StringBuilder sb = new StringBuilder(capacity).append("{\"instances\":[");
      boolean inTurn = next + batchSize <= instances.length;
      for (int j = 0; j < batchSize; j++) {
        sb.append(j == 0 ? "" : ",").append(instances[inTurn ? next++ : random.nextInt(instances.length)]);
      }
      Buffer body = Buffer.buffer(sb.append("]}").toString());
      capacity = sb.length() + 64;
      bytes += body.length();
      bodies.add(body);
    }
    return new RequestBodies(bodies.toArray(Buffer[]::new), null);
  }

  /** Up to {@code size} distinct instances drawn from {@code schema}, as JSON text, fields in the schema's order. */
  static String[] distinct(RequestValidator schema, SplittableRandom random, int size) {
    // Churn's schema allows millions of instances, so a pool of 65,536 draws a few twins; they are drawn again.
    Set<String> seen = new HashSet<>(size * 2);
    String[] texts = new String[size];
    int n = 0;
    for (int repeats = 0; n < size && repeats < MAX_REPEATS; ) {
      String text = schema.sample(random).encode();
      if (seen.add(text)) {
        texts[n++] = text;
        repeats = 0;
      } else {
        repeats++;
      }
    }
    return n == size ? texts : Arrays.copyOf(texts, n);
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
   * Single instance {@code index} as JSON text, to embed in a WebSocket message.
   *
   * @throws IllegalStateException on a pool of batches, which has no single instances
   */
  public String text(int index) {
    if (texts == null) {
      throw new IllegalStateException("a pool of batches has no single instances");
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
     * The next single instance as JSON text, to embed in a WebSocket message.
     *
     * @throws IllegalStateException on a pool of batches, which has no single instances
     */
    String nextInstance() {
      if (texts == null) {
        throw new IllegalStateException("a pool of batches has no single instances");
      }
      String text = texts[next];
      next = (next + step) % bodies.length;
      return text;
    }
  }
}
