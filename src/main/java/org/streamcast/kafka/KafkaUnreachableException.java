package org.streamcast.kafka;

/** The Kafka cluster did not answer in time; the message names the bootstrap address and what was attempted. */
public final class KafkaUnreachableException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /** An exception with a one-line message for the user. */
  public KafkaUnreachableException(String message, Throwable cause) {
    super(message, cause);
  }
}
