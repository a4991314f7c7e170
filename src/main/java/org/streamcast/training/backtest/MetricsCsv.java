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
 * {@value #HEADER}. sMAPE is in percent; a metric that is undefined (for example MASE with a zero scale) is
 * {@code NaN}.
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
    out.write(HEADER);
    out.write('\n');
    for (ScoreRow r : rows) {
      Scores s = r.scores();
      out.write(CsvText.field(r.key()) + ',' + CsvText.field(r.method()) + ',' + r.h() + ',' + s.nEval() + ','
          + CsvText.number(s.mae()) + ',' + CsvText.number(s.rmse()) + ',' + CsvText.number(s.smape()) + ','
          + CsvText.number(s.mase()) + '\n');
    }
  }
}
