package org.streamcast.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.EnumMap;
import java.util.Map;
import org.streamcast.domain.DeadLetterReason;

/**
 * Meters of a pipeline's ingest (parsing, validation, resampling), tagged with the pipeline only:
 * {@code streamcast.records.in}, {@code streamcast.dead.letters{reason}}, {@code streamcast.late.events},
 * {@code streamcast.windows.closed}.
 */
public final class IngestMeters implements MeterBinder {
  private final String pipeline;
  private Counter accepted;
  private Counter windowsClosed;
  private Counter late;
  private final Map<DeadLetterReason, Counter> deadLetters = new EnumMap<>(DeadLetterReason.class);

  public IngestMeters(String pipeline) {
    this.pipeline = pipeline;
  }

  @Override
  public void bindTo(MeterRegistry registry) {
    accepted = Counter.builder("streamcast.records.in")
        .description("Input records accepted into a window (parsed, valid and in time)")
        .tag("pipeline", pipeline).register(registry);
    windowsClosed = Counter.builder("streamcast.windows.closed").description("Windows closed into series steps")
        .tag("pipeline", pipeline).register(registry);
    late = Counter.builder("streamcast.late.events").description("Events that arrived after their window closed")
        .tag("pipeline", pipeline).register(registry);
    for (DeadLetterReason r : DeadLetterReason.values()) {
      deadLetters.put(r, Counter.builder("streamcast.dead.letters")
          .description("Records sent to the dead-letter topic, by reason")
          .tag("pipeline", pipeline).tag("reason", r.wireName()).register(registry));
    }
  }

  void accepted() {
    accepted.increment();
  }

  void deadLettered(DeadLetterReason reason) {
    deadLetters.get(reason).increment();
    if (reason == DeadLetterReason.LATE) {
      late.increment();
    }
  }

  void windowClosed() {
    windowsClosed.increment();
  }
}
