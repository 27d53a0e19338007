package io.churnserving.bench;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.concurrent.TimeoutException;

/**
 * One stream's messages sent and not yet answered, oldest first, for the drivers whose answers come back by id in
 * any order (the WebSocket stream, gRPC's {@code ModelStreamInfer}): each answer is counted once, against when its
 * message was due and sent; a late answer to a message already counted as timed out is not counted again.
 */
final class Unanswered {
  /** When one message was due and when it left. */
  private record Message(long dueNanos, long sentNanos) {
  }

  private final LinkedHashMap<Long, Message> messages = new LinkedHashMap<>();

  void sent(long id, long dueNanos, long sentNanos) {
    messages.put(id, new Message(dueNanos, sentNanos));
  }

  int size() {
    return messages.size();
  }

  boolean isEmpty() {
    return messages.isEmpty();
  }

  /**
   * Counts an answer.
   *
   * @param id     the message's id, or negative when the answer names none (counted as an unknown answer)
   * @param status the status it is counted under
   */
  void answered(long id, int status, long nowNanos, Recorder recorder) {
    Message message = id < 0 ? null : messages.remove(id);
    if (message != null) {
      recorder.answered(status, message.dueNanos(), message.sentNanos(), nowNanos);
    } else if (id < 0) {
      recorder.unknownAnswer(nowNanos);
    }
    // Otherwise a late answer to a message already counted as timed out; counting it twice would be wrong.
  }

  /** Counts messages unanswered for {@code timeoutNanos} or longer as timeouts, which frees their place. */
  void expire(long nowNanos, long timeoutNanos, Recorder recorder) {
    for (Iterator<Message> it = messages.values().iterator(); it.hasNext(); ) {
      Message message = it.next();
      if (nowNanos - message.sentNanos() < timeoutNanos) {
        break;
      }
      it.remove();
      recorder.failed(new TimeoutException("no answer within the timeout"), message.dueNanos());
    }
  }

  /** The stream or connection is gone: every message still unanswered fails with {@code cause}. */
  void failAll(Throwable cause, Recorder recorder) {
    for (Message message : messages.values()) {
      recorder.failed(cause, message.dueNanos());
    }
    messages.clear();
  }
}
