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
  /** The event time is absurdly far ahead of the pipeline's stream time. */
  TIME_SKEW("time-skew"),
  /** The event arrived after its window closed (window end + grace <= stream time). */
  LATE("late"),
  /** Processing the record failed unexpectedly (a bug or an environment problem); see the detail header. */
  PROCESSING_ERROR("processing-error");

  private final String wireName;

  DeadLetterReason(String wireName) {
    this.wireName = wireName;
  }

  /** The name used in headers and metric tags, e.g. {@code bad-json}. */
  public String wireName() {
    return wireName;
  }
}
