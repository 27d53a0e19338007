package io.churnserving.scoring;

import io.vertx.core.eventbus.MessageCodec;

/**
 * What the scoring messages' codecs share: within one JVM a message passes by reference (its arrays are never written
 * after it is sent), so only the wire form differs from one message to the other.
 *
 * @param <T> the message type
 */
abstract class ReferenceCodec<T> implements MessageCodec<T, T> {
  private final String name;

  ReferenceCodec(String name) {
    this.name = name;
  }

  @Override
  public final T transform(T message) {
    return message;
  }

  @Override
  public final String name() {
    return name;
  }

  @Override
  public final byte systemCodecID() {
    return -1;
  }
}
