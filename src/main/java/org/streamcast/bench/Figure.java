package org.streamcast.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * One figure of the report: the value of its warm-up pass (NaN when it has none) and of each measured pass, summarised
 * as the median with the spread (smallest and largest).
 *
 * @param name     what was measured, e.g. {@code pass-through throughput}
 * @param unit     e.g. {@code rec/s}, {@code ms}, {@code MiB}
 * @param decimals decimals shown
 * @param warmup   the warm-up pass, or NaN
 * @param values   the measured passes (at least one)
 */
public record Figure(String name, String unit, int decimals, double warmup, List<Double> values) {
  public Figure {
    values = List.copyOf(values);
    if (values.isEmpty()) {
      throw new IllegalArgumentException("figure " + name + " has no value");
    }
  }

  /** A figure measured once, without warm-up. */
  public static Figure single(String name, String unit, int decimals, double value) {
    return new Figure(name, unit, decimals, Double.NaN, List.of(value));
  }

  /** The median of the measured passes (the mean of the middle two for an even count). */
  public double median() {
    List<Double> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    int n = sorted.size();
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
  }

  public double min() {
    return Collections.min(values);
  }

  public double max() {
    return Collections.max(values);
  }

  /** {@code v} with this figure's decimals and thousands separators; empty for NaN. */
  public String format(double v) {
    if (Double.isNaN(v)) {
      return "";
    }
    return String.format(Locale.ROOT, "%,." + decimals + "f", v);
  }

  /** The spread as {@code min–max}, or empty for a single value. */
  public String spread() {
    return values.size() < 2 ? "" : format(min()) + " – " + format(max());
  }
}
