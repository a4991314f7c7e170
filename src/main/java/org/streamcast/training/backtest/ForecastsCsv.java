package org.streamcast.training.backtest;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes {@code forecasts.csv}: every scored forecast, with the columns {@value #HEADER}. {@code origin} is the time
 * of the last step the method had seen, {@code ts} the time forecast ({@code h} steps later); {@code actual} is empty
 * when that step is missing. Only the plan's horizons are written, for origins whose target lies inside the series.
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
    out.write(HEADER);
    out.write('\n');
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
            out.write(k + ',' + m + ',' + origin + ',' + h + ',' + s.time(run.originStep(o) + h) + ','
                + CsvText.number(run.forecast(o, h)) + ',' + (Double.isNaN(actual) ? "" : CsvText.number(actual))
                + '\n');
          }
        }
      }
    }
  }
}
