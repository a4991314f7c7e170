package org.streamcast.topology;

import org.streamcast.domain.Anomaly;
import org.streamcast.domain.DeadLetterReason;
import org.streamcast.domain.Forecast;
import org.streamcast.domain.Measurement;
import org.streamcast.domain.Step;

/** What flows between the pipeline's processors: accepted events, closed steps, forecasts, anomalies, or
 * rejections. */
public sealed interface Routed permits Routed.Accepted, Routed.Closed, Routed.Published, Routed.Flagged,
    Routed.Rejected {

  /** A valid event with its source coordinates. */
  record Accepted(Measurement measurement, SourceRecord source) implements Routed {}

  /**
   * A window that closed and became a step of the regular series; {@code last} marks the last of the steps that one
   * input record closed (the windows of many keys close together when stream time passes their end), which lets the
   * forecast processor step those keys' models together.
   */
  record Closed(Step step, boolean last) implements Routed {}

  /** A forecast to publish. */
  record Published(Forecast forecast) implements Routed {}

  /** An anomaly to publish. */
  record Flagged(Anomaly anomaly) implements Routed {}

  /** A record for the dead-letter topic. */
  record Rejected(DeadLetterReason reason, String detail, SourceRecord source) implements Routed {}
}
