package org.streamcast.topology;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.serialization.Serializer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.streamcast.domain.Forecast;

/**
 * Nanoseconds to write one forecast record as the forecasts topic carries it (JSON, UTF-8 bytes): 12 or 48 horizons,
 * each with a value, a source and two interval levels, as the pipeline publishes them once a key is warm.
 * {@code mvn -B -Pbench test-compile exec:exec -Dbench.args="ForecastJsonBench -prof gc"}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-XX:+UseParallelGC"})
@State(Scope.Thread)
public class ForecastJsonBench {
  @Param({"12", "48"})
  public int horizon;

  private final Serializer<Forecast> serializer = TopologySerdes.forecastJson().serializer();
  private Forecast[] forecasts;
  private int next;

  @Setup
  public void setUp() {
    forecasts = new Forecast[64];
    Instant origin = Instant.parse("2024-03-01T00:00:00Z");
    for (int k = 0; k < forecasts.length; k++) {
      List<Forecast.Point> points = new ArrayList<>();
      for (int h = 1; h <= horizon; h++) {
        double v = 20_000 + 37.123 * k + 911.7 * Math.sin(h / 3.0);
        points.add(new Forecast.Point(h, origin.plusSeconds(1800L * (h + k)), v, List.of(
            new Forecast.Interval(0.8, v - 310.25 - h, v + 310.25 + h),
            new Forecast.Interval(0.95, v - 598.5 - h, v + 598.5 + h)), h < 4 ? "learned" : "snaive(336)+change"));
      }
      forecasts[k] = new Forecast(String.format("sensor-%05d", k), "electricity", origin.plusSeconds(1800L * k),
          "gru", 1733400000L, points);
    }
  }

  @Benchmark
  public byte[] write() {
    Forecast f = forecasts[next];
    next = (next + 1) & (forecasts.length - 1);
    return serializer.serialize("electricity.forecasts", f);
  }
}
