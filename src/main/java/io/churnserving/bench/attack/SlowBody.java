package io.churnserving.bench.attack;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetSocket;
import java.util.HashSet;
import java.util.Set;

/**
 * {@code slow-body} (slowloris): {@code POST /predict} with the key and a {@code Content-Length} of
 * {@link #DECLARED_LENGTH}, whose body then comes one byte a second and never ends. Half of {@code --connections}
 * are HTTP/1.1 raw sockets with one such request each; the other half are HTTP/2 connections with
 * {@code --streams} such streams each. The server should answer 408 once its body timeout passes and close (or
 * reset the stream); the attack then starts another. Counts answers by status and {@code trickled_bytes}.
 */
final class SlowBody implements Attack {
  static final int DECLARED_LENGTH = 1000;
  static final long TRICKLE_MS = 1000;
  /** After an answer, how long the server gets to close an HTTP/1.1 connection before the attack does. */
  static final long CLOSE_WAIT_MS = 2000;
  private static final Buffer ONE_BYTE = Buffer.buffer(" ");

  private final AttackRun run;
  private final Set<NetSocket> slowSockets = new HashSet<>();
  private final Set<HttpClientRequest> slowStreams = new HashSet<>();
  private final RequestOptions h2Request;

  SlowBody(AttackRun run) {
    this.run = run;
    this.h2Request = new RequestOptions().setMethod(HttpMethod.POST).setURI("/predict")
        .putHeader(HttpHeaders.CONTENT_TYPE, "application/json").putHeader("X-API-Key", run.options.apiKey())
        .putHeader(HttpHeaders.CONTENT_LENGTH, Integer.toString(DECLARED_LENGTH));
  }

  @Override
  public void start() {
    int http1 = run.options.connections() / 2;
    NetClient client = run.netClient(0);
    for (int i = 0; i < http1; i++) {
      new Lane(client).start();
    }
    for (int c = http1; c < run.options.connections(); c++) {
      HttpClientAgent h2 = Http2Clients.oneConnection(run, -1);
      for (int s = 0; s < run.options.streams(); s++) {
        open(h2);
      }
    }
    run.vertx.setPeriodic(TRICKLE_MS, id -> trickle());
  }

  /** One more byte on every request still open. */
  private void trickle() {
    if (!run.running()) {
      return;
    }
    for (NetSocket s : slowSockets) {
      if (!s.writeQueueFull()) {
        s.write(ONE_BYTE);
        run.counts.add("trickled_bytes");
      }
    }
    for (HttpClientRequest request : slowStreams) {
      if (!request.writeQueueFull()) {
        request.write(ONE_BYTE);
        run.counts.add("trickled_bytes");
      }
    }
  }

  /** Opens one slow HTTP/2 stream and, when it ends, the next in its place. */
  private void open(HttpClientAgent client) {
    if (!run.running()) {
      return;
    }
    run.counts.add(AttackCounts.REQUESTS);
    client.request(h2Request).onComplete(ar -> {
      if (ar.failed()) {
        run.counts.error(ar.cause());
        run.later(AttackRun.RETRY_MS, () -> open(client));
        return;
      }
      HttpClientRequest request = ar.result();
      request.exceptionHandler(Http2Clients.COUNTED_ELSEWHERE);
      slowStreams.add(request);
      request.write("{");
      request.response().compose(response -> {
        run.counts.status(response.statusCode());
        return response.body();
      }).onComplete(answer -> {
        slowStreams.remove(request);
        if (answer.failed()) {
          run.counts.error(answer.cause());
          run.later(AttackRun.RETRY_MS, () -> open(client));
        } else {
          open(client);
        }
      });
    });
  }

  /** One HTTP/1.1 connection with one slow request. */
  private final class Lane extends RawLane {
    Lane(NetClient client) {
      super(SlowBody.this.run, client);
    }

    @Override
    void opened(NetSocket s) {
      HeadReader head = new HeadReader();
      s.handler(data -> {
        if (head.feed(data)) {
          s.handler(null);
          counts.status(head.status());
          slowSockets.remove(s);
          run.later(CLOSE_WAIT_MS, () -> {
            if (socket == s) {
              counts.add("left_open_after_the_answer");
              closeOurselves(s);
            }
          });
        }
      });
      counts.add(AttackCounts.REQUESTS);
      send(s, Buffer.buffer("POST /predict HTTP/1.1\r\nHost: " + run.options.host() + "\r\nX-API-Key: "
          + run.options.apiKey() + "\r\nContent-Type: application/json\r\nContent-Length: " + DECLARED_LENGTH
          + "\r\n\r\n{"));
      slowSockets.add(s);
    }

    @Override
    void closed(NetSocket s, boolean byServer) {
      slowSockets.remove(s);
    }
  }
}
