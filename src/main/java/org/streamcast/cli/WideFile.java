package org.streamcast.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.slf4j.LoggerFactory;
import org.streamcast.config.PipelineSpec;
import org.streamcast.config.SpecException;
import org.streamcast.dataset.WideCsvReader;
import org.streamcast.training.backtest.Cadence;
import org.streamcast.training.backtest.SeriesPanel;

/**
 * {@code backtest --file} of a wide CSV ({@code key,timestamp,field1,field2,...}): which column is the target
 * ({@code --target}, default the first value column) and which are covariates ({@code --covariates}, default every
 * other value column; {@code none} for a target-only backtest of the same file).
 */
final class WideFile {
  private WideFile() {}

  /**
   * The panel of {@code file}: wide when its header has no {@code value} column, else null (the long format); each
   * field aggregated per step as {@code window} says (none: the mean).
   */
  static SeriesPanel panel(Path file, String target, String covariates, Cadence cadence,
      Optional<PipelineSpec.Window> window) {
    if (!WideCsvReader.isWide(file)) {
      if (target != null || covariates != null) {
        throw new SpecException((target != null ? "--target" : "--covariates") + ": only for a wide CSV "
            + "(key,timestamp,field1,...); " + file + " has a value column");
      }
      return null;
    }
    List<String> cov = covariates == null ? null : covariates.strip().equalsIgnoreCase("none") ? List.of()
        : Arrays.stream(covariates.split(",")).map(String::strip).toList();
    if (cov != null && cov.stream().anyMatch(String::isEmpty)) {
      throw new SpecException("--covariates: \"" + covariates + "\" has an empty name (a comma-separated list of "
          + "value columns, or none)");
    }
    WideCsvReader.Table t = WideCsvReader.read(file, target, cov);
    t.missingSummary(file.toString()).ifPresent(LoggerFactory.getLogger(WideFile.class)::warn);
    if (t.rows().isEmpty()) {
      throw new SpecException(file + ": has no rows");
    }
    List<String> fields = new ArrayList<>(List.of(t.target()));
    fields.addAll(t.covariates());
    List<PipelineSpec.Aggregation> aggregations = fields.stream()
        .map(f -> window.map(w -> w.aggregation(f)).orElse(PipelineSpec.Aggregation.MEAN)).toList();
    return SeriesPanel.ofRows(t.rows(), t.covariates(), cadence, aggregations);
  }
}
