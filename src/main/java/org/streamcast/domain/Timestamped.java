package org.streamcast.domain;

import java.time.Instant;

/** Something of one series key at one event time: what a replay puts in event-time order. */
public interface Timestamped {
  /** The series key. */
  String key();

  /** The event time. */
  Instant time();
}
