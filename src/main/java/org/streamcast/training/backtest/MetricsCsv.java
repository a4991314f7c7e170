package org.streamcast.training.backtest;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Writes {@code metrics.csv}: one row per key (and {@code ALL}), method and horizon, with the columns
 * {@value #HEADER}, then per interval level ℓ (in percent, e.g. 80) {@code coverage_ℓ,MSIS_ℓ} ({@link Scores.Band}).
 * sMAPE is in percent, coverage a fraction; a metric that is undefined (for example MASE with a zero scale, or the
 * coverage of a method that issued no interval) is {@code NaN}.
 */
public final class MetricsCsv {

  /** The header line. */
  public static final String HEADER = "key,method,h,n_eval,MAE,RMSE,sMAPE,MASE";

  private MetricsCsv() {}

  /** Writes the rows to {@code file}, replacing it. */
  public static void write(Path file, List<ScoreRow> rows) throws IOException {
    try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      write(out, rows);
    }
  }

  /** Writes the header and the rows. */
  public static void write(Writer out, List<ScoreRow> rows) throws IOException {
    List<Double> levels = rows.isEmpty() ? List.of()
        : rows.get(0).scores().bands().stream().map(Scores.Band::level).toList();
    out.write(header(levels));
    out.write('\n');
    for (ScoreRow r : rows) {
      Scores s = r.scores();
      StringBuilder line = new StringBuilder(CsvText.field(r.key()) + ',' + CsvText.field(r.method()) + ',' + r.h()
          + ',' + s.nEval() + ',' + CsvText.number(s.mae()) + ',' + CsvText.number(s.rmse()) + ','
          + CsvText.number(s.smape()) + ',' + CsvText.number(s.mase()));
      for (double level : levels) {
        Scores.Band b = s.band(level);
        line.append(',').append(CsvText.number(b == null ? Double.NaN : b.coverage()))
            .append(',').append(CsvText.number(b == null ? Double.NaN : b.msis()));
      }
      out.write(line.append('\n').toString());
    }
  }

  /** The header line for intervals at {@code levels}: {@value #HEADER}, then {@code coverage_ℓ,MSIS_ℓ} per level. */
  public static String header(List<Double> levels) {
    StringBuilder h = new StringBuilder(HEADER);
    for (double level : levels) {
      String pct = percent(level);
      h.append(",coverage_").append(pct).append(",MSIS_").append(pct);
    }
    return h.toString();
  }

  /** A level in percent without trailing zeros: 0.8 gives 80, 0.975 gives 97.5. */
  public static String percent(double level) {
    return java.math.BigDecimal.valueOf(level * 100).setScale(6, java.math.RoundingMode.HALF_UP).stripTrailingZeros()
        .toPlainString();
  }
}
