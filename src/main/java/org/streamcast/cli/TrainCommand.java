package org.streamcast.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.streamcast.config.PipelineSpec;
import org.streamcast.config.SpecException;
import org.streamcast.config.SpecLoader;
import org.streamcast.dataset.SeriesCsvReader;
import org.streamcast.dataset.WideCsvReader;
import org.streamcast.domain.Measurement;
import org.streamcast.domain.Observation;
import org.streamcast.model.ArtifactFormat;
import org.streamcast.model.ModelArtifact;
import org.streamcast.training.KeySeries;
import org.streamcast.training.SeriesSteps;
import org.streamcast.training.TrainedModel;
import org.streamcast.training.Trainer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code streamcast train}: trains the model a pipeline spec describes on a {@code key,timestamp,value} CSV and
 * writes the model artifact.
 */
@Command(
    name = "train",
    mixinStandardHelpOptions = true,
    description = {
        "Trains the pipeline's recurrent model (one global model over all keys) on a key,timestamp,value CSV with "
            + "DL4J, with early stopping on the last part of each key's series, and writes the model artifact.",
        "Rows are resampled as the pipeline's windows resample events: epoch-aligned steps of the spec's window "
            + "step, each field with its aggregation; a step without rows repeats the previous value, flagged as "
            + "imputed; with gaps.policy skip only steps with rows count."})
public final class TrainCommand implements Callable<Integer> {

  private static final Logger LOG = LoggerFactory.getLogger(TrainCommand.class);

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @ParentCommand
  Streamcast parent;

  @Option(names = "--topology", paramLabel = "FILE", required = true,
      description = "Pipeline spec (YAML) with the model and training settings.")
  Path topology;

  @Option(names = "--file", paramLabel = "CSV", required = true,
      description = "Training data: CSV with the header key,timestamp,value, or a wide CSV key,timestamp,field1,... "
          + "with the spec's input.valueFields (input.target forecast, the others covariates).")
  Path file;

  @Option(names = "--out", paramLabel = "FILE",
      description = "Where to write the model artifact (default: <pipeline>.model in the working directory).")
  Path out;

  @Option(names = "--signing-key", paramLabel = "FILE",
      description = "Sign the artifact (Ed25519 private key, PEM, e.g. from `openssl genpkey -algorithm ed25519`; "
          + "env " + ModelKeyOptions.SIGNING_KEY_VARIABLE + ").")
  Path signingKey;

  @Override
  public Integer call() throws IOException {
    PrintWriter stdout = spec.commandLine().getOut();
    PipelineSpec pipeline = SpecLoader.load(topology);
    if (!Files.isRegularFile(file)) {
      throw new SpecException("--file: " + file + (Files.exists(file)
          ? ": is not a regular file (a directory or a device), not a CSV file" : ": no such file"));
    }
    List<String> covariates = pipeline.input().covariates();
    List<KeySeries> series;
    if (WideCsvReader.isWide(file)) {
      WideCsvReader.Table table = WideCsvReader.read(file, pipeline.input().target(), covariates);
      table.missingSummary(file.toString()).ifPresent(LOG::warn);
      List<Measurement> rows = table.rows();
      if (rows.isEmpty()) {
        throw new SpecException("--file: " + file + ": no rows");
      }
      series = SeriesSteps.ofRows(file.toString(), rows, pipeline);
    } else {
      if (!covariates.isEmpty()) {
        throw new SpecException("--file: " + file + " has one value column; pipeline " + pipeline.name()
            + " forecasts " + pipeline.input().target() + " with the covariates " + covariates + " (give a wide CSV "
            + "key,timestamp," + String.join(",", pipeline.input().fieldOrder()) + ")");
      }
      List<Observation> rows = SeriesCsvReader.readAll(file, LOG::warn);
      if (rows.isEmpty()) {
        throw new SpecException("--file: " + file + ": no rows");
      }
      series = SeriesSteps.of(file.toString(), rows, pipeline);
    }
    Path target = out != null ? out : Path.of(pipeline.name() + ".model");
    // before minutes of training, not after them
    if (Files.isDirectory(target)) {
      throw new SpecException((out != null ? "--out: " : "") + target + ": is a directory, not a model file");
    }
    Path dir = target.toAbsolutePath().getParent();
    if (dir != null && Files.exists(dir) && !(Files.isDirectory(dir) && Files.isWritable(dir))) {
      throw new SpecException((out != null ? "--out: " : "") + target + ": " + dir + " is not a writable directory");
    }

    TrainedModel trained;
    CliEnvironment env = parent == null ? CliEnvironment.system() : parent.environment();
    java.security.PrivateKey signing = ModelKeyOptions.signingKey(signingKey, env.variables()); // before training
    try (TrainingProgress progress = new TrainingProgress("train " + pipeline.name(), env.terminal(), System.err)) {
      trained = new Trainer().train(pipeline.model(), pipeline.training(), series, covariates,
          file.getFileName().toString(), progress);
    }
    ModelArtifact artifact = trained.artifact();
    Path parent = target.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    byte[] bytes = ArtifactFormat.write(artifact, 0, signing);
    Files.write(target, bytes);

    var p = artifact.provenance();
    Double val = p.validationMetrics().get("validation_mse");
    stdout.printf(Locale.ROOT, "trained %s (%d layer(s) of %d) on %d key(s), %d steps, windows of %d steps%n",
        pipeline.model().type().name().toLowerCase(Locale.ROOT), pipeline.model().layers(),
        pipeline.model().hiddenSize(), p.keys(), p.points(), trained.windowLength());
    stdout.printf(Locale.ROOT, "head started at %s%n", trained.headStart().describe());
    stdout.printf(Locale.ROOT, "epochs run %d, kept %s, validation MSE (scaled) %s%n", trained.epochs().size(),
        trained.bestEpoch() == 0 ? "the start (no epoch beat it)" : "epoch " + trained.bestEpoch(),
        val == null ? "n/a (validation 0)" : String.format(Locale.ROOT, "%.4f", val));
    stdout.printf(Locale.ROOT, "wrote %s (%d bytes%s)%n", target, bytes.length, signing == null ? "" : ", signed");
    stdout.flush();
    return 0;
  }
}
