package org.streamcast.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.streamcast.config.PipelineSpec;
import org.streamcast.config.SpecException;
import org.streamcast.config.SpecLoader;
import org.streamcast.dataset.SeriesCsvReader;
import org.streamcast.model.Forecaster;
import org.streamcast.model.SeasonalNaiveForecaster;
import org.streamcast.quality.Intervals;
import org.streamcast.training.backtest.AnomalyBacktest;
import org.streamcast.training.backtest.AnomalyInjector;
import org.streamcast.training.backtest.Backtest;
import org.streamcast.training.backtest.BacktestChart;
import org.streamcast.training.backtest.BacktestPlan;
import org.streamcast.training.backtest.BacktestResult;
import org.streamcast.training.backtest.Bands;
import org.streamcast.training.backtest.BundledDataset;
import org.streamcast.training.backtest.Cadence;
import org.streamcast.training.backtest.ForecastMethod;
import org.streamcast.training.backtest.ForecasterMethod;
import org.streamcast.training.backtest.ForecastsCsv;
import org.streamcast.training.backtest.MethodContext;
import org.streamcast.training.backtest.MethodRegistry;
import org.streamcast.training.backtest.MetricsCsv;
import org.streamcast.training.backtest.RecurrentMethods;
import org.streamcast.training.backtest.Series;
import org.streamcast.training.backtest.SeriesPanel;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code streamcast backtest}: scores forecasting methods on a {@code key,timestamp,value} CSV with the protocol of
 * docs/protocol.md (see {@link Backtest}), writes {@code metrics.csv}, {@code forecasts.csv} and a PNG per key, and prints
 * a summary.
 */
@Command(
    name = "backtest",
    mixinStandardHelpOptions = true,
    description = {
        "Scores naive, seasonal naive and (with --model) a learned model on a key,timestamp,value CSV: per key, fit on "
            + "the first --split of the steps, then forecast from every later origin without refitting and score the "
            + "forecasts made exactly h steps ahead (MAE, RMSE, sMAPE, MASE).",
        "Writes metrics.csv, forecasts.csv and one PNG per key to --out."})
public final class BacktestCommand implements Callable<Integer> {

  private static final Logger LOG = LoggerFactory.getLogger(BacktestCommand.class);

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  static final class Source {
    @Option(names = "--file", paramLabel = "CSV", description = "CSV with the header key,timestamp,value, or a wide "
        + "CSV key,timestamp,field1,field2,... (see --target, --covariates).")
    Path file;

    @Option(names = "--dataset", paramLabel = "NAME",
        description = "A bundled dataset instead of --file: taylor, eustockmarkets, vega_weather (scored with the "
            + "keys the protocol scores: vega_weather without precipitation).")
    String dataset;
  }

  @ArgGroup(exclusive = true, multiplicity = "1")
  Source source;

  @Option(names = "--target", paramLabel = "FIELD",
      description = "With a wide --file: the column forecast (default: the first value column).")
  String target;

  @Option(names = "--covariates", paramLabel = "F1,F2",
      description = "With a wide --file: the columns fed to the model as covariates (default: every other value "
          + "column; none: the target alone).")
  String covariates;

  @Option(names = "--topology", paramLabel = "FILE",
      description = "Pipeline spec giving the step, seasonal lags and model settings (default: inferred from the data).")
  Path topology;

  @Option(names = "--model", paramLabel = "TYPE", description = "Also score a learned model: gru, lstm or rnn.")
  String model;

  @Option(names = "--model-file", paramLabel = "FILE",
      description = "Also score this trained model artifact (from `streamcast train` or `retrain --out`) without "
          + "refitting, served exactly as the pipeline given with --topology serves it.")
  Path modelFile;

  @Option(names = "--horizons", paramLabel = "H", split = ",", defaultValue = "1,12",
      description = "Horizons to score, in steps (default: ${DEFAULT-VALUE}).")
  List<Integer> horizons;

  @Option(names = "--season", paramLabel = "M", converter = SeasonConverter.class,
      description = "MASE season m, in steps or as a frequency letter with the M4 competition's period (Y 1, Q 4, "
          + "M 12, W 1, D 1, B 1, H 24) (default from the step as in the protocol: 48 half-hourly, 24 hourly, 1 daily and "
          + "business-daily, 12 monthly, 4 quarterly; 1 when the longest training part is shorter than three "
          + "seasons).")
  Integer season;

  @Option(names = "--snaive-season", paramLabel = "M",
      description = "Season of the seasonal naive baseline (default: the longest model seasonal lag: 336 half-hourly, "
          + "168 hourly, 7 daily, 12 monthly, 4 quarterly; none for business days; a lag is kept only when the "
          + "longest training part holds it three times).")
  Integer snaiveSeason;

  @Option(names = "--split", paramLabel = "F", defaultValue = "0.8",
      description = "Training fraction of each key's steps (default: ${DEFAULT-VALUE}).")
  double split;

  @Option(names = "--interval-rate", paramLabel = "G",
      description = "Tracking rate of the adaptive conformal intervals, 0..1 (0: split-conformal bands, for comparison;"
          + " default: the pipeline's, ${DEFAULT-VALUE}).", defaultValue = "" + Intervals.DEFAULT_RATE)
  double intervalRate;

  @Option(names = "--keys", paramLabel = "REGEX", description = "Score only the keys that match this regex.")
  String keys;

  @Option(names = "--out", paramLabel = "DIR", defaultValue = "backtest-out",
      description = "Output directory (default: ${DEFAULT-VALUE}).")
  Path out;

  @Option(names = "--anomalies",
      description = "Measure anomaly detection instead of forecasts: inject seeded spikes, level shifts and stuck "
          + "values after --split into each key and score streamcast's detector (serving the pipeline's baseline, "
          + "a --model trained on the part before --split, or --model-file with --topology) against a rolling "
          + "z-score; prints precision, recall and F1 per kind.")
  boolean anomalies;

  @Option(names = "--anomaly-seeds", paramLabel = "S", split = ",", defaultValue = "1,2,3,4,5",
      description = "Seeds of the injected anomalies the detectors are scored on (default: ${DEFAULT-VALUE}).")
  List<Long> anomalySeeds;

  @Option(names = "--tuning-seed", paramLabel = "S", defaultValue = "100",
      description = "Seed of the anomalies each detector's setting is chosen on (default: ${DEFAULT-VALUE}).")
  long tuningSeed;

  @Option(names = "--max-charts", paramLabel = "N", defaultValue = "100",
      description = "Draw PNGs for at most this many keys, the first in the data (default: ${DEFAULT-VALUE}).")
  int maxCharts;

  private TrainingProgress trainingProgress;

  @Override
  public Integer call() throws IOException {
    PrintWriter err = spec.commandLine().getErr();
    PrintWriter stdout = spec.commandLine().getOut();
    Optional<PipelineSpec> pipeline = topology == null ? Optional.empty() : Optional.of(SpecLoader.load(topology));
    if (maxCharts < 0) {
      throw new SpecException("--max-charts: " + maxCharts + " is negative");
    }
    checkOut();
    MethodContext specContext = pipeline.map(MethodContext::fromSpec).orElse(null);
    SeriesPanel panel = load(specContext == null ? null : specContext.cadence(), pipeline);
    MethodContext context = specContext != null ? specContext
        : MethodContext.defaults(panel.cadence(), longestTrainingPart(panel));
    if (modelFile != null && (model != null || pipeline.isEmpty())) {
      throw new SpecException(model != null ? "--model-file: give either --model (train one) or --model-file (score "
          + "a trained one), not both" : "--model-file: needs --topology (the pipeline whose gap policy and history "
          + "the model is served with)");
    }
    if (anomalies) {
      return anomalies(panel, context, pipeline, stdout);
    }
    if (model == null && modelFile == null && pipeline.isPresent()) {
      model = pipeline.get().model().type().name().toLowerCase(Locale.ROOT);
    }
    if (season != null) {
      if (season < 1) {
        throw new SpecException("--season: " + season + " is not a positive number of steps");
      }
      int longest = longestTrainingPart(panel);
      if (season >= longest) {
        throw new SpecException("--season: " + season + " is not shorter than the longest training part (" + longest
            + " steps at --split " + split + "): MASE divides by the mean seasonal difference within it");
      }
      context = new MethodContext(context.cadence(), context.seasonalLags(), season, context.spec());
    }
    if (!(intervalRate >= 0 && intervalRate <= 1)) {
      throw new SpecException("--interval-rate: " + intervalRate + " is not between 0 and 1");
    }
    context = new MethodContext(context.cadence(), context.seasonalLags(), context.scoringSeason(), context.spec(),
        new Bands(context.bands().levels(), intervalRate));
    if (snaiveSeason != null && snaiveSeason < 1) {
      throw new SpecException("--snaive-season: " + snaiveSeason + " is not a positive number of steps");
    }
    BacktestPlan plan = new BacktestPlan(split, horizons, context.scoringSeason(), context.bands());
    List<ForecastMethod> methods = new ArrayList<>(
        MethodRegistry.baselines(context, snaiveSeason == null ? 0 : snaiveSeason));

    BacktestResult result;
    try (ProgressReporter progress = ProgressReporter.forConsole("backtest");
         TrainingProgress training = new TrainingProgress("train " + (model == null ? "" : model),
             System.console() != null, System.err)) {
      trainingProgress = training;
      if (model != null) {
        methods.add(learned(context));
      }
      if (modelFile != null) {
        methods.add(trainedFile(pipeline.orElseThrow(), context.bands()));
      }
      result = Backtest.run(panel.series(), plan, methods, progress::update);
    }
    writeOutputs(result, methods);
    new BacktestSummary(stdout).print(describe(), panel, context, methods, result);
    stdout.println("wrote " + out.resolve("metrics.csv") + ", " + out.resolve("forecasts.csv") + " and "
        + Math.min(maxCharts, result.keys().size()) + " chart(s)");
    stdout.flush();
    err.flush();
    return 0;
  }

  /** {@code --anomalies}: the detection table per kind, printed and written to {@code --out}/anomalies.md. */
  private int anomalies(SeriesPanel panel, MethodContext context, Optional<PipelineSpec> pipeline,
      PrintWriter stdout) {
    if (model != null && modelFile != null) {
      throw new SpecException("--model-file: give either --model (train one) or --model-file, not both");
    }
    if (anomalySeeds.contains(tuningSeed)) {
      throw new SpecException("--tuning-seed: " + tuningSeed + " is also one of --anomaly-seeds: the setting must "
          + "be chosen on other anomalies than it is scored on");
    }
    Forecaster served;
    int history;
    if (model != null) {
      // trained on the clean part before --split only: the anomalies come after it
      Map<String, Series> heads = new LinkedHashMap<>();
      panel.series().forEach((k, s) -> heads.put(k, s.head((int) Math.floor(s.length() * split))));
      try (TrainingProgress training = new TrainingProgress("train " + model, System.console() != null,
          System.err)) {
        RecurrentMethods.Served trained = RecurrentMethods.train(modelType(), context, heads, 1, training);
        served = trained.model();
        history = trained.historyCapacity();
      }
    } else if (modelFile != null) {
      served = RunCommand.loadModel("--model-file", modelFile, pipeline.orElseThrow(() -> new SpecException(
          "--model-file: needs --topology (the pipeline whose gap policy and history the model is served with)")));
      history = pipeline.get().model().historyCapacity();
    } else {
      served = SeasonalNaiveForecaster.baseline(context.seasonalLags(), 1);
      history = context.seasonalLags().stream().mapToInt(Integer::intValue).max().orElse(1) + 1;
    }
    List<AnomalyBacktest.Key> keyList = new ArrayList<>();
    for (Series s : panel.series().values()) {
      List<java.time.Instant> times = new ArrayList<>(s.length());
      for (int i = 0; i < s.length(); i++) {
        times.add(s.time(i));
      }
      keyList.add(new AnomalyBacktest.Key(s.key(), s.values(), times));
    }
    AnomalyBacktest backtest = new AnomalyBacktest(keyList, split, new AnomalyBacktest.Models() {
      @Override
      public Forecaster model(AnomalyBacktest.Key key) {
        return served;
      }

      @Override
      public int history() {
        return history;
      }
    });
    List<AnomalyBacktest.Row> rows = new ArrayList<>();
    for (AnomalyInjector.Kind kind : AnomalyInjector.Kind.values()) {
      rows.addAll(backtest.run(kind, tuningSeed, anomalySeeds));
    }
    String table = AnomalyBacktest.table(describe(), rows);
    stdout.println("anomalies in " + describe() + ", " + keyList.size() + " key(s), after --split " + split
        + "; streamcast serves " + served.name() + "; tuning seed " + tuningSeed + ", scored on seeds "
        + anomalySeeds);
    stdout.print(table);
    try {
      Files.createDirectories(out);
      Files.writeString(out.resolve("anomalies.md"), table);
    } catch (IOException e) {
      throw new UncheckedIOException("--out: " + out + ": " + e.getMessage(), e);
    }
    stdout.println("wrote " + out.resolve("anomalies.md"));
    stdout.flush();
    return 0;
  }

  /** The data on {@code cadence} (null: inferred), aggregated per step as {@code pipeline}'s window (none: mean). */
  private SeriesPanel load(Cadence cadence, Optional<PipelineSpec> pipeline) {
    Pattern keep = null;
    if (keys != null) {
      try {
        keep = Pattern.compile(keys);
      } catch (PatternSyntaxException e) {
        throw new SpecException("--keys: \"" + keys + "\" is not a regular expression: " + e.getDescription());
      }
    }
    SeriesPanel panel;
    PipelineSpec.Aggregation targetAggregation = pipeline.map(p -> p.window().aggregation(p.input().target()))
        .orElse(PipelineSpec.Aggregation.MEAN);
    if (source.file != null) {
      if (!Files.isRegularFile(source.file)) {
        throw new SpecException("--file: " + source.file + (Files.exists(source.file)
            ? ": is not a regular file (a directory or a device), not a CSV file" : ": no such file"));
      }
      panel = WideFile.panel(source.file, target, covariates, cadence, pipeline.map(PipelineSpec::window));
      if (panel == null) {
        panel = SeriesPanel.of(SeriesCsvReader.readAll(source.file, LOG::warn), cadence, targetAggregation);
      }
    } else {
      if (target != null || covariates != null) {
        throw new SpecException((target != null ? "--target" : "--covariates") + ": only with a wide --file");
      }
      BundledDataset d = BundledDataset.byName(source.dataset);
      panel = SeriesPanel.of(d.read(), cadence, targetAggregation);
      if (keep == null) {
        panel = panel.select(d.anchorKeys());
      }
    }
    if (keep != null) {
      Pattern p = keep;
      panel = panel.select(k -> p.matcher(k).matches());
      if (panel.series().isEmpty()) {
        throw new SpecException("--keys: \"" + keys + "\" matches no key");
      }
    }
    return panel;
  }

  /** Steps in the longest key's training part at {@code --split}. */
  private int longestTrainingPart(SeriesPanel panel) {
    BacktestPlan plan = new BacktestPlan(split, List.of(1), 1);
    return panel.series().values().stream().mapToInt(s -> plan.trainLength(s.length())).max().orElse(0);
  }

  /** {@code --model} as a model type; a clear error for anything else. */
  private PipelineSpec.ModelType modelType() {
    String name = model.trim().toLowerCase(Locale.ROOT);
    for (PipelineSpec.ModelType t : PipelineSpec.ModelType.values()) {
      if (t.name().toLowerCase(Locale.ROOT).equals(name)) {
        return t;
      }
    }
    throw new SpecException("--model: \"" + model + "\" is not one of gru, lstm, rnn");
  }

  private ForecastMethod learned(MethodContext context) {
    String name = modelType().name().toLowerCase(Locale.ROOT);
    MethodRegistry registry = MethodRegistry.standard(trainingProgress);
    return registry.learned(name, context).orElseThrow(() -> new SpecException("--model: " + name
        + ": the recurrent models are not part of this build yet (available: "
        + (registry.learnedNames().isEmpty() ? "none" : String.join(", ", registry.learnedNames()))
        + "); run without --model to score the baselines"));
  }

  /** The artifact in {@link #modelFile}, fixed (no refit), served through the pipeline's step logic. */
  private ForecastMethod trainedFile(PipelineSpec pipeline, Bands bands) {
    Forecaster served = RunCommand.loadModel("--model-file", modelFile, pipeline);
    return new ForecasterMethod(served.name(), (parts, h) -> served,
        pipeline.model().gaps(), pipeline.window().step().toMillis(),
        pipeline.model().historyCapacity(), bands,
        pipeline.output().anomalies() == null ? null : pipeline.anomalies());
  }

  /** Finds a directory {@code --out} cannot be before the work, not after it. */
  private void checkOut() {
    if (Files.exists(out) && !Files.isDirectory(out)) {
      throw new SpecException("--out: " + out + ": is a file, not a directory");
    }
    try {
      Files.createDirectories(out);
    } catch (IOException | SecurityException e) {
      throw new SpecException("--out: " + out + ": cannot create the directory (" + e.getClass().getSimpleName()
          + ")");
    }
    if (!Files.isWritable(out)) {
      throw new SpecException("--out: " + out + ": the directory is not writable");
    }
  }

  private void writeOutputs(BacktestResult result, List<ForecastMethod> methods) {
    try {
      Files.createDirectories(out);
      MetricsCsv.write(out.resolve("metrics.csv"), result.rows());
      ForecastsCsv.write(out.resolve("forecasts.csv"), result);
      String primary = methods.get(methods.size() - 1).name();
      Set<String> used = new HashSet<>();
      List<String> keyList = result.keys();
      for (int i = 0; i < Math.min(maxCharts, keyList.size()); i++) {
        String key = keyList.get(i);
        BacktestChart.writePng(out.resolve(BacktestChart.fileName(key, used)), result, key, primary);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("--out: " + out + ": " + e.getMessage(), e);
    }
  }

  private String describe() {
    return source.file != null ? source.file.toString() : BundledDataset.byName(source.dataset).id();
  }
}
