package org.streamcast.domain;

/** What to do when a step has no events. */
public enum GapPolicy { IMPUTE, RESET, SKIP }
