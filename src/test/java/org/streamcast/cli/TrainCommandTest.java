package org.streamcast.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.streamcast.model.CellType;
import org.streamcast.model.ModelArtifact;
import picocli.CommandLine;

class TrainCommandTest {

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    CommandLine cl = Streamcast.commandLine();
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    return cl.execute(args);
  }

  static Path taylorHead(Path dir, int rows) throws IOException {
    try (InputStream in = TrainCommandTest.class.getResourceAsStream("/datasets/taylor.csv")) {
      List<String> lines = new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().limit(rows + 1L).toList();
      Path csv = dir.resolve("taylor-head.csv");
      Files.write(csv, lines);
      return csv;
    }
  }

  static Path spec(Path dir) throws IOException {
    Path yaml = dir.resolve("small.yaml");
    Files.writeString(yaml, String.join("\n",
        "name: small",
        "window:",
        "  step: 30m",
        "model:",
        "  type: lstm",
        "  hiddenSize: 8",
        "  context: 48",
        "  horizon: 4",
        "  calendar: [time_of_day]",
        "  seasonalLags: [48]",
        "training:",
        "  epochs: 2",
        "  patience: 2",
        "  learningRate: 0.01",
        "  validation: 0.2",
        "  seed: 5",
        ""));
    return yaml;
  }

  @Test
  void shouldTrainOnTheSpecsCovariatesWhenFileIsWide(@TempDir Path dir) throws IOException {
    Path yaml = dir.resolve("weather.yaml");
    Files.writeString(yaml, String.join("\n",
        "name: weather",
        "input: {valueFields: [temp_max, wind, temp_min], target: temp_max}",
        "window: {step: 1d}",
        "model: {type: gru, hiddenSize: 4, context: 14, horizon: 2, seasonalLags: [7], calendar: []}",
        "training: {epochs: 1, patience: 1, seed: 5}",
        ""));
    Path wide;
    try (InputStream in = TrainCommandTest.class.getResourceAsStream("/data/vega_weather_wide.csv")) {
      List<String> lines = new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().limit(301).toList();
      wide = dir.resolve("wide.csv");
      Files.write(wide, lines);
    }
    Path model = dir.resolve("weather.model");
    assertEquals(0, run("train", "--topology", yaml.toString(), "--file", wide.toString(), "--out", model.toString()),
        err.toString());
    ModelArtifact a = ModelArtifact.read(model);
    assertEquals(List.of("wind", "temp_min"), a.features().extraFields());
    assertEquals(2, a.globalScaling().extras().size());
    assertEquals(a.globalScaling().extras(), a.keyScalers().get("New York").extras(), "covariates scaled pooled");

    Path narrow = taylorHead(dir, 100);
    assertEquals(2, run("train", "--topology", yaml.toString(), "--file", narrow.toString()));
    assertTrue(err.toString().contains("pipeline weather forecasts temp_max with the covariates [wind, temp_min] "
        + "(give a wide CSV key,timestamp,temp_max,wind,temp_min)"), err.toString());
  }

  @Test
  void shouldWriteLoadableArtifactWhenTrainingOnCsv(@TempDir Path dir) throws IOException {
    Path model = dir.resolve("models/small.model");
    int code = run("train", "--topology", spec(dir).toString(), "--file", taylorHead(dir, 600).toString(), "--out",
        model.toString());
    assertEquals(0, code, err.toString());
    ModelArtifact a = ModelArtifact.read(model);
    assertEquals(CellType.LSTM, a.network().type());
    assertEquals(4, a.network().horizon());
    assertEquals(600, a.provenance().points());
    assertEquals("taylor-head.csv", a.provenance().dataSource());
    assertEquals(5, a.provenance().seed());
    assertEquals(1, a.keyScalers().size());
    assertTrue(out.toString().contains("wrote " + model), out.toString());
  }

  @Test
  void shouldExitTwoBeforeTrainingWhenOutIsADirectory(@TempDir Path dir) throws IOException {
    int code = run("train", "--topology", spec(dir).toString(), "--file", taylorHead(dir, 400).toString(), "--out",
        dir.toString());
    assertEquals(2, code);
    assertEquals("--out: " + dir + ": is a directory, not a model file", err.toString().strip());
  }

  @Test
  void shouldExitTwoWithOneLineWhenCsvIsMissing(@TempDir Path dir) throws IOException {
    Path missing = dir.resolve("nope.csv");
    int code = run("train", "--topology", spec(dir).toString(), "--file", missing.toString());
    assertEquals(2, code);
    assertEquals("--file: " + missing + ": no such file", err.toString().strip());
  }

  @Test
  void shouldSignTheArtifactWhenGivenASigningKeySoOnlyTheMatchingPublicKeyServesIt(@TempDir Path dir)
      throws Exception {
    java.security.KeyPair keys = org.streamcast.testing.PoisonedArtifacts.keyPair();
    java.security.KeyPair other = org.streamcast.testing.PoisonedArtifacts.keyPair();
    Path signing = Files.writeString(dir.resolve("signing.pem"),
        org.streamcast.model.ArtifactSigning.pem(keys.getPrivate()));
    Path model = dir.resolve("small.model");
    int code = run("train", "--topology", spec(dir).toString(), "--file", taylorHead(dir, 600).toString(), "--out",
        model.toString(), "--signing-key", signing.toString());
    assertEquals(0, code, err.toString());
    assertTrue(out.toString().contains(", signed)"), out.toString());
    var pipeline = org.streamcast.config.SpecLoader.load(spec(dir));
    assertEquals(4, RunCommand.loadModel("--model", model, pipeline, keys.getPublic()).horizon());
    var e = org.junit.jupiter.api.Assertions.assertThrows(org.streamcast.config.SpecException.class,
        () -> RunCommand.loadModel("--model", model, pipeline, other.getPublic()));
    assertTrue(e.getMessage().contains("signature does not match the configured public key"), e.getMessage());
  }

  @Test
  void shouldExitTwoWithOneLineWhenSigningKeyIsNotAKey(@TempDir Path dir) throws IOException {
    Path notAKey = Files.writeString(dir.resolve("key.pem"), "hello\n");
    int code = run("train", "--topology", spec(dir).toString(), "--file", taylorHead(dir, 100).toString(),
        "--signing-key", notAKey.toString());
    assertEquals(2, code);
    assertEquals("--signing-key: " + notAKey + ": not a PEM file with a PRIVATE KEY block (make one with `openssl "
        + "genpkey -algorithm ed25519`)", err.toString().strip());
  }
}
