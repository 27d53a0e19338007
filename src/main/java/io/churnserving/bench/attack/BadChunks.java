package io.churnserving.bench.attack;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetSocket;

/**
 * {@code h1-bad-chunks}: {@code POST /predict} with the key and a chunked body whose first chunk size the server
 * cannot read, in turn: {@code zz}, a size that overflows 64 bits, and a valid size followed by a 100 KB chunk
 * extension. Each should get a 400 problem and a closed connection; the attack then opens the next. Counts answers
 * by status ({@code -1}: bytes that were not an HTTP answer), {@code no_answer_within_10s} and
 * {@code left_open_after_the_answer}.
 */
final class BadChunks implements Attack {
  static final long ANSWER_WAIT_MS = 10_000;
  static final long CLOSE_WAIT_MS = 2000;
  private static final String[] FIRST_CHUNKS = {"zz\r\n{}\r\n0\r\n\r\n",
      "fffffffffffffffffffff\r\n{}\r\n0\r\n\r\n",
      "2;" + "x".repeat(100_000) + "\r\n{}\r\n0\r\n\r\n"};
  private static final String[] NAMES = {"zz", "overflow", "long_extension"};

  private final AttackRun run;
  private final Buffer head;
  private long round;

  BadChunks(AttackRun run) {
    this.run = run;
    this.head = Buffer.buffer("POST /predict HTTP/1.1\r\nHost: " + run.options.host() + "\r\nX-API-Key: "
        + run.options.apiKey() + "\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n");
  }

  @Override
  public void start() {
    run.startLanes(run.options.connections(), Lane::new);
  }

  private final class Lane extends RawLane {
    private boolean answered;

    Lane(NetClient client) {
      super(BadChunks.this.run, client);
    }

    @Override
    void opened(NetSocket s) {
      int variant = (int) (round++ % FIRST_CHUNKS.length);
      HeadReader answer = new HeadReader();
      answered = false;
      s.handler(data -> {
        if (!answered && answer.feed(data)) {
          answered = true;
          counts.status(answer.status());
          counts.add("answered_" + NAMES[variant]);
          run.later(CLOSE_WAIT_MS, () -> {
            if (socket == s) {
              counts.add("left_open_after_the_answer");
              closeOurselves(s);
            }
          });
        }
      });
      counts.add(AttackCounts.REQUESTS);
      counts.add("sent_" + NAMES[variant]);
      send(s, head.copy().appendString(FIRST_CHUNKS[variant]));
      run.later(ANSWER_WAIT_MS, () -> {
        if (socket == s && !answered) {
          counts.add("no_answer_within_10s");
          closeOurselves(s);
        }
      });
    }

    @Override
    void closed(NetSocket s, boolean byServer) {
      if (byServer && !answered) {
        counts.add("closed_without_an_answer");
      }
    }
  }
}
