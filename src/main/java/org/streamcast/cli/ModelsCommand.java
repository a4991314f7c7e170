package org.streamcast.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.streamcast.config.PipelineSpec;
import org.streamcast.config.RuntimeSettings;
import org.streamcast.config.SpecException;
import org.streamcast.config.SpecLoader;
import org.streamcast.model.ModelArtifact;
import org.streamcast.model.Provenance;
import org.streamcast.model.SealedArtifact;
import org.streamcast.registry.ModelHistory;
import org.streamcast.registry.ModelKeys;
import org.streamcast.registry.ModelPublisher;
import org.streamcast.registry.ModelTopic;
import org.streamcast.registry.ServableModels;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code streamcast models list|show|rollback|publish}: the models of a pipeline on {@value ModelTopic#NAME}, with
 * their provenance and scores and the one in service; a rollback republishes an older artifact as the newest
 * version (its provenance's evaluation says {@code rollbackOf}); publish sends a file from {@code train}.
 */
@Command(name = "models", mixinStandardHelpOptions = true,
    description = {"Lists, shows, rolls back and publishes the models of a pipeline on " + ModelTopic.NAME + ".",
        "The model in service is the newest servable version a running pipeline adopts (marked *)."},
    subcommands = {CommandLine.HelpCommand.class})
final class ModelsCommand {
  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  @ParentCommand
  Streamcast parent;

  @CommandLine.Spec
  CommandLine.Model.CommandSpec command;

  /** The options of every {@code models} subcommand. */
  static final class Options {
    @Option(names = "--topology", required = true, paramLabel = "FILE", description = "The pipeline's spec (YAML).")
    Path topology;

    @Mixin
    KafkaOptions kafka = new KafkaOptions();

    @Mixin
    ModelKeyOptions modelKeys = new ModelKeyOptions();
  }

  private Options options;

  @Command(name = "list", mixinStandardHelpOptions = true,
      description = "Lists the pipeline's models on " + ModelTopic.NAME
          + ", oldest first: version, creation, training data, scores, the one in service (*).")
  int list(@Mixin Options o) {
    options = o;
    PipelineSpec spec = spec();
    try (ModelHistory history = history(spec)) {
      PrintWriter out = out();
      out.printf("pipeline %s: %d record%s on %s%n", spec.name(), history.entries().size(),
          history.entries().size() == 1 ? "" : "s", ModelTopic.NAME);
      if (history.inService().isEmpty()) {
        out.println("in service: the seasonal-naive baseline (no servable model)");
      }
      out.printf("  %-12s %-20s %-52s %-36s %s%n", "VERSION", "CREATED", "TRAINED ON", "SCORES", "NOTE");
      for (ModelHistory.Entry e : history.entries()) {
        boolean serving = history.inService().map(s -> s.offset() == e.offset()).orElse(false);
        if (e.model().isEmpty()) {
          out.printf("  %-12s %-20s %-52s %-36s %s%n", "-", "-", "-", "-", e.withdrawn()
              ? "withdrawn (tombstone) at " + e.coordinates() : "refused at " + e.coordinates() + ": "
              + e.refusal().orElse(""));
          continue;
        }
        ModelHistory.Model m = e.model().get();
        Provenance p = m.provenance();
        out.printf("%s %-12d %-20s %-52s %-36s %s%n", serving ? "*" : " ", m.version(),
            p.createdAt().truncatedTo(java.time.temporal.ChronoUnit.SECONDS), span(p), scores(p), note(m, serving));
      }
      out.flush();
      return 0;
    }
  }

  @Command(name = "show", mixinStandardHelpOptions = true, description = "Prints one model's provenance and scores.")
  int show(@Mixin Options o,
      @Parameters(paramLabel = "VERSION", description = "The model version (as `models list` shows it).")
      long version) {
    options = o;
    PipelineSpec spec = spec();
    try (ModelHistory history = history(spec)) {
      ModelHistory.Entry e = find(spec, history, version);
      ModelHistory.Model m = e.model().orElseThrow();
      Provenance p = m.provenance();
      boolean serving = history.inService().map(s -> s.offset() == e.offset()).orElse(false);
      PrintWriter out = out();
      out.printf("pipeline %s, model version %d%s%n", spec.name(), m.version(), serving ? " (in service)" : "");
      out.printf("record:            %s, written %s, %s%n", e.coordinates(), e.written(),
          m.signed() ? "signed" : "unsigned");
      out.printf("network:           %s %s, horizon %d, %d key scalers%n", m.cell(),
          java.util.Arrays.toString(m.hiddenSizes()), m.horizon(), m.keys());
      out.printf("servable:          %s%n", m.mismatch().map(r -> "no: " + r).orElse("yes"));
      m.rollbackOf().ifPresent(v -> out.printf("rollback of:       %d (at %s)%n", v,
          p.evaluation().getOrDefault(ModelHistory.ROLLED_BACK_AT, "?")));
      out.printf("created:           %s%n", p.createdAt());
      out.printf("trained on:        %s%n", trainedOn(p));
      out.printf("seed:              %d%n", p.seed());
      print(out, "validation", new TreeMap<>(p.validationMetrics()));
      print(out, "evaluation", new TreeMap<>(p.evaluation()));
      print(out, "hyperparameters", new TreeMap<>(p.hyperparameters()));
      print(out, "libraries", new TreeMap<>(p.libraryVersions()));
      out.flush();
      return 0;
    }
  }

  @Command(name = "rollback", mixinStandardHelpOptions = true, description = {
      "Republishes an older model's artifact as the newest version: running pipelines switch to its weights under "
          + "the new version number; its provenance's evaluation records " + ModelHistory.ROLLBACK_OF + " and "
          + ModelHistory.ROLLED_BACK_AT + ".",
      "With --signing-key the republished artifact is signed (needed when pipelines verify with a public key)."})
  int rollback(@Mixin Options o,
      @Parameters(paramLabel = "VERSION", description = "The version whose weights to serve again.")
      long version) {
    options = o;
    PipelineSpec spec = spec();
    ModelKeys keys = keys();
    SealedArtifact old;
    try (ModelHistory history = history(spec)) {
      ModelHistory.Entry e = find(spec, history, version);
      ModelHistory.Model m = e.model().orElseThrow();
      if (m.mismatch().isPresent()) {
        throw new SpecException("models rollback: version " + version + " cannot serve pipeline " + spec.name()
            + ": " + m.mismatch().get());
      }
      if (history.inService().map(s -> s.offset() == e.offset()).orElse(false)) {
        throw new SpecException("models rollback: version " + version + " is already in service for pipeline "
            + spec.name());
      }
      old = history.artifact(e, TIMEOUT);
    }
    ModelArtifact a = old.artifact();
    Map<String, String> evaluation = new TreeMap<>(a.provenance().evaluation());
    evaluation.put(ModelHistory.ROLLBACK_OF, Long.toString(version));
    evaluation.put(ModelHistory.ROLLED_BACK_AT, Instant.now().toString());
    ModelArtifact rolledBack = new ModelArtifact(a.network(), a.features(), a.keyScalers(), a.globalScaling(),
        a.provenance().withEvaluation(evaluation), a.sources());
    try (ModelPublisher publisher = new ModelPublisher(settings(spec).clientProperties(), keys)) {
      ModelPublisher.Published p = publisher.publish(spec.name(), rolledBack);
      out().printf("pipeline %s: rolled back to the weights of version %d, published as version %d at %s%n",
          spec.name(), version, p.version(), p.coordinates());
      out().flush();
    }
    return 0;
  }

  @Command(name = "publish", mixinStandardHelpOptions = true, description = {
      "Publishes a model file from `streamcast train` as the pipeline's newest version.",
      "With --signing-key it is signed (needed when pipelines verify with a public key)."})
  int publish(@Mixin Options o,
      @Parameters(paramLabel = "FILE", description = "A model artifact file.") Path file) {
    options = o;
    PipelineSpec spec = spec();
    ModelKeys keys = keys();
    if (!Files.exists(file)) {
      throw new SpecException("models publish: " + file + ": no such file");
    }
    ModelArtifact artifact;
    try {
      artifact = ModelArtifact.open(file, null).artifact();
    } catch (IOException e) {
      throw new SpecException("models publish: " + oneLine(e.getMessage()));
    }
    Optional<String> mismatch = ServableModels.mismatch(spec, artifact);
    if (mismatch.isPresent()) {
      throw new SpecException("models publish: " + file + " cannot serve pipeline " + spec.name() + ": "
          + mismatch.get());
    }
    try (ModelPublisher publisher = new ModelPublisher(settings(spec).clientProperties(), keys)) {
      ModelPublisher.Published p = publisher.publish(spec.name(), artifact);
      out().printf("pipeline %s: published %s as version %d at %s%s%n", spec.name(), file, p.version(),
          p.coordinates(), keys.signingKey() == null ? "" : " (signed)");
      out().flush();
    }
    return 0;
  }

  private PipelineSpec spec() {
    return SpecLoader.load(options.topology);
  }

  private ModelKeys keys() {
    return options.modelKeys.keys(env().variables());
  }

  private CliEnvironment env() {
    return parent == null ? CliEnvironment.system() : parent.environment();
  }

  private RuntimeSettings settings(PipelineSpec spec) {
    return options.kafka.resolve(spec.runtime(), env().variables());
  }

  private ModelHistory history(PipelineSpec spec) {
    return ModelHistory.read(settings(spec).clientProperties(), spec, keys().publicKey(), TIMEOUT);
  }

  private PrintWriter out() {
    return command.commandLine().getOut();
  }

  /** The entry of {@code version}; an unknown version is a one-line usage error listing the known ones. */
  private static ModelHistory.Entry find(PipelineSpec spec, ModelHistory history, long version) {
    return history.find(version).orElseThrow(() -> new SpecException("pipeline " + spec.name() + " has no model "
        + "version " + version + " on " + ModelTopic.NAME + (history.versions().isEmpty() ? " (none at all)"
        : " (versions: " + history.versions().stream().map(String::valueOf).collect(Collectors.joining(", "))
        + ")")));
  }

  private static String trainedOn(Provenance p) {
    return p.dataSource() + " " + p.from() + ".." + p.to() + ", " + p.keys() + (p.keys() == 1 ? " key, " : " keys, ")
        + p.points() + " points";
  }

  /** The training data in one short column: source, dates, keys, points ({@code show} prints the instants). */
  private static String span(Provenance p) {
    return p.dataSource() + " " + p.from().toString().substring(0, 10) + ".." + p.to().toString().substring(0, 10)
        + " (" + p.keys() + (p.keys() == 1 ? " key, " : " keys, ") + p.points() + " pts)";
  }

  /** The validation MSE and the retrainer's mean MASE scores, compactly ({@code show} prints every metric). */
  private static String scores(Provenance p) {
    Map<String, String> s = new TreeMap<>();
    p.validationMetrics().forEach((k, v) -> {
      if (k.endsWith("mse")) {
        s.put(k, String.format(Locale.ROOT, "%.4g", v));
      }
    });
    p.evaluation().forEach((k, v) -> {
      if (k.endsWith(".mase.mean")) {
        try {
          s.put(k.replace(".mase.mean", "_mase"), String.format(Locale.ROOT, "%.4g", Double.parseDouble(v)));
        } catch (NumberFormatException e) {
          s.put(k, v);
        }
      }
    });
    return s.isEmpty() ? "-" : s.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
        .collect(Collectors.joining(" "));
  }

  private static String note(ModelHistory.Model m, boolean serving) {
    StringBuilder b = new StringBuilder(serving ? "in service" : "");
    m.rollbackOf().ifPresent(v -> b.append(b.length() > 0 ? "; " : "").append("rollback of ").append(v));
    String decision = m.provenance().evaluation().get("decision");
    if (decision != null && m.rollbackOf().isEmpty()) {
      b.append(b.length() > 0 ? "; " : "").append("retrainer: ").append(decision);
    }
    m.mismatch().ifPresent(r -> b.append(b.length() > 0 ? "; " : "").append("unservable: ").append(r));
    return b.toString();
  }

  private static void print(PrintWriter out, String title, Map<String, ?> values) {
    if (values.isEmpty()) {
      out.printf("%-18s %s%n", title + ":", "-");
      return;
    }
    out.printf("%s:%n", title);
    values.forEach((k, v) -> out.printf("  %-30s %s%n", k, v));
  }

  private static String oneLine(String s) {
    return s == null ? "" : s.lines().findFirst().orElse("");
  }
}
