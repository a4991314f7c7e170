package org.streamcast.cli;

import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import org.streamcast.training.backtest.BacktestResult;
import org.streamcast.training.backtest.ForecastMethod;
import org.streamcast.training.backtest.MethodContext;
import org.streamcast.training.backtest.MetricsCsv;
import org.streamcast.training.backtest.SeasonalNaiveMethod;
import org.streamcast.training.backtest.Scores;
import org.streamcast.training.backtest.Series;
import org.streamcast.training.backtest.SeriesPanel;

/**
 * Prints the human summary of a backtest: the data and plan, then MASE and sMAPE per method and horizon, and the
 * coverage (percent) and MSIS of each interval level.
 */
final class BacktestSummary {

  private final PrintWriter out;

  BacktestSummary(PrintWriter out) {
    this.out = out;
  }

  void print(String source, SeriesPanel panel, MethodContext context, List<ForecastMethod> methods,
      BacktestResult result) {
    int keys = panel.series().size();
    int min = Integer.MAX_VALUE;
    int max = 0;
    long missing = 0;
    for (Series s : panel.series().values()) {
      min = Math.min(min, s.length());
      max = Math.max(max, s.length());
      missing += s.length() - s.observedCount();
    }
    out.printf(Locale.ROOT, "backtest of %s: %d key%s, %s steps of %s, %d missing step%s%s%n", source, keys,
        keys == 1 ? "" : "s", min == max ? Integer.toString(min) : min + "-" + max, panel.cadence().label(), missing,
        missing == 1 ? "" : "s", panel.merged() > 0 ? ", " + panel.merged() + " observations averaged into a step" : "");
    double split = result.plan().split();
    String parts = min == max
        ? "train " + result.plan().trainLength(max) + ", test " + (max - result.plan().trainLength(max)) + " steps"
        : "train the first " + split + " of each key's steps";
    out.printf(Locale.ROOT, "split %s (%s), MASE season m=%d, model seasonal lags %s%n", split, parts,
        context.scoringSeason(), context.seasonalLags().isEmpty() ? "none" : context.seasonalLags());
    if (!result.leftOut().isEmpty()) {
      out.printf(Locale.ROOT, "left out, too short for the plan: %s%n", BacktestResult.describe(result.leftOut(), 10));
    }
    int scored = result.keys().size();
    String over = scored > 1 ? " (mean of " + scored + " keys)" : "";
    int width = ("coverage 99.9%" + over).length();
    for (ForecastMethod m : methods) {
      width = Math.max(width, label(m).length());
    }
    table("MASE" + over, width, methods, result, Scores.Metric.MASE);
    table("sMAPE %" + over, width, methods, result, Scores.Metric.SMAPE);
    for (double level : result.plan().bands().levels()) {
      String pct = MetricsCsv.percent(level);
      table("coverage " + pct + "%" + over, width, methods, result, s -> {
        Scores.Band b = s.band(level);
        return b == null ? Double.NaN : 100 * b.coverage();
      }, "%.1f");
      table("MSIS " + pct + "%" + over, width, methods, result, s -> {
        Scores.Band b = s.band(level);
        return b == null ? Double.NaN : b.msis();
      }, "%.3f");
    }
  }

  private void table(String header, int width, List<ForecastMethod> methods, BacktestResult result,
      Scores.Metric metric) {
    table(header, width, methods, result, metric::of, "%.3f");
  }

  private void table(String header, int width, List<ForecastMethod> methods, BacktestResult result,
      java.util.function.ToDoubleFunction<Scores> metric, String format) {
    List<Integer> horizons = result.plan().horizons();
    out.println();
    StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%-" + width + "s", header));
    for (int h : horizons) {
      line.append(String.format(Locale.ROOT, " %9s", "h=" + h));
    }
    out.println(line);
    for (ForecastMethod m : methods) {
      line = new StringBuilder(String.format(Locale.ROOT, "%-" + width + "s", label(m)));
      for (int h : horizons) {
        double v = metric.applyAsDouble(result.summary(m.name(), h));
        line.append(String.format(Locale.ROOT, " %9s", Double.isNaN(v) ? "-" : String.format(Locale.ROOT, format, v)));
      }
      out.println(line);
    }
  }

  private static String label(ForecastMethod m) {
    return m instanceof SeasonalNaiveMethod s ? m.name() + " (m=" + s.season() + ")" : m.name();
  }
}
