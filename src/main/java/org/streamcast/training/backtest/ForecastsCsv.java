package org.streamcast.training.backtest;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Writes {@code forecasts.csv}: every scored forecast, with the columns {@value #HEADER}. {@code origin} is the time
 * of the last step the method had seen, {@code ts} the time forecast ({@code h} steps later); {@code actual} is empty
 * when that step is missing. Only the plan's horizons are written, for origins whose target lies inside the series.
 * Then per interval level ℓ of the plan (in percent) {@code lower_ℓ,upper_ℓ}: the interval issued with the forecast,
 * empty when there was none.
 */
public final class ForecastsCsv {

  /** The header line. */
  public static final String HEADER = "key,method,origin,h,ts,forecast,actual";

  private ForecastsCsv() {}

  /** Writes all forecasts of {@code result} to {@code file}, replacing it. */
  public static void write(Path file, BacktestResult result) throws IOException {
    try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      write(out, result);
    }
  }

  /** Writes the header and all forecasts. */
  public static void write(Writer out, BacktestResult result) throws IOException {
    List<Double> levels = result.plan().bands().levels();
    StringBuilder header = new StringBuilder(HEADER);
    for (double level : levels) {
      String pct = MetricsCsv.percent(level);
      header.append(",lower_").append(pct).append(",upper_").append(pct);
    }
    out.write(header.append('\n').toString());
    for (String method : result.methods()) {
      String m = CsvText.field(method);
      for (String key : result.keys()) {
        KeyRun run = result.run(method, key);
        String k = CsvText.field(key);
        Series s = run.series();
        for (int o = 0; o < run.origins(); o++) {
          String origin = run.originTime(o).toString();
          for (int h : run.horizons()) {
            if (!run.hasTarget(o, h)) {
              continue;
            }
            double actual = run.actual(o, h);
            double forecast = run.forecast(o, h);
            StringBuilder line = new StringBuilder(k + ',' + m + ',' + origin + ',' + h + ','
                + s.time(run.originStep(o) + h) + ',' + CsvText.number(forecast) + ','
                + (Double.isNaN(actual) ? "" : CsvText.number(actual)));
            for (int l = 0; l < levels.size(); l++) {
              double w = l < run.levels() ? run.halfWidth(l, o, h) : Double.NaN;
              line.append(',').append(Double.isNaN(w) ? "" : CsvText.number(forecast - w))
                  .append(',').append(Double.isNaN(w) ? "" : CsvText.number(forecast + w));
            }
            out.write(line.append('\n').toString());
          }
        }
      }
    }
  }
}
