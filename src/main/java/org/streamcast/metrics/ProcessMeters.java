package org.streamcast.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;

/**
 * The process-wide meters of a streamcast process, without a pipeline tag: JVM memory, GC pauses, threads, CPU and
 * uptime (Micrometer's own binders). Close it to stop listening for GC events.
 */
public final class ProcessMeters implements MeterBinder, AutoCloseable {
  private final JvmGcMetrics gc = new JvmGcMetrics();

  @Override
  public void bindTo(MeterRegistry registry) {
    new JvmMemoryMetrics().bindTo(registry);
    gc.bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
  }

  @Override
  public void close() {
    gc.close();
  }
}
