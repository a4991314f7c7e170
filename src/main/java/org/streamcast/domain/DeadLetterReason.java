package org.streamcast.domain;

/** Why a record went to a pipeline's dead-letter topic. The wire name travels in the record's headers. */
public enum DeadLetterReason {
  /** The value is not a JSON object (empty, malformed, or another JSON type). */
  BAD_JSON("bad-json"),
  /** A required field (key, time or a value field) is absent or null. */
  MISSING_FIELD("missing-field"),
  /** A field has the wrong JSON type (e.g. a string where a number is needed). */
  BAD_TYPE("bad-type"),
  /** A value is NaN or infinite. */
  NOT_FINITE("not-finite"),
  /** The series key is empty (or the record has no key when the record key is the series key). */
  EMPTY_KEY("empty-key"),
  /** The event time cannot be parsed. */
  BAD_TIMESTAMP("bad-timestamp"),
  /** The event time is more than {@code window.maxSkew} ahead of its partition's stream time. */
  TIME_SKEW("time-skew"),
  /** The event arrived after its window closed (window end + grace <= stream time). */
  LATE("late"),
  /** Processing the record failed unexpectedly (a bug or an environment problem); see the detail header. */
  PROCESSING_ERROR("processing-error"),
  /** The record key or the series key is longer than {@code input.maxKeyBytes} (UTF-8 bytes). */
  KEY_TOO_LONG("key-too-long"),
  /** The record (key, value and headers) is larger than {@code input.maxRecordBytes}, or too large to send. */
  TOO_LARGE("too-large"),
  /** The JSON object names a field twice (which one would win is a parser's choice, so neither does). */
  DUPLICATE_FIELD("duplicate-field"),
  /** Something other than whitespace follows the JSON object. */
  TRAILING_DATA("trailing-data"),
  /** The value, or the record key used as the series key, is not strict UTF-8 (UTF-16, invalid bytes, NUL). */
  BAD_ENCODING("bad-encoding"),
  /** The series key holds a control, NUL, newline or bidirectional-override character, or a lone surrogate. */
  BAD_KEY("bad-key"),
  /** A value's magnitude is above {@code input.maxAbsValue}. */
  OUT_OF_RANGE("out-of-range"),
  /** Adding the event would make its window's aggregate infinite. */
  OVERFLOW("overflow"),
  /** The event time is more than {@code window.maxFuture} past the wall clock. */
  FUTURE_TIME("future-time");

  private final String wireName;

  DeadLetterReason(String wireName) {
    this.wireName = wireName;
  }

  /** The name used in headers and metric tags, e.g. {@code bad-json}. */
  public String wireName() {
    return wireName;
  }
}
