package org.streamcast.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.streamcast.config.SpecLoader;
import org.streamcast.retrain.Judgement;
import picocli.CommandLine;

/** {@code streamcast retrain} up to the point where it needs a broker: flags, specs and the printed judgement. */
class RetrainCommandTest {

  private static int run(StringWriter err, String... args) {
    CommandLine cl = Streamcast.commandLine();
    cl.setOut(new PrintWriter(new StringWriter()));
    cl.setErr(new PrintWriter(err));
    return cl.execute(args);
  }

  @Test
  void shouldExitTwoWithOneLineWhenEveryIsNotPositive(@TempDir Path dir) throws Exception {
    Path spec = dir.resolve("p.yaml");
    Files.writeString(spec, "name: p\nwindow: {step: 1h}\n");
    StringWriter err = new StringWriter();
    assertEquals(2, run(err, "retrain", "--topology", spec.toString(), "--every", "0s"));
    assertTrue(err.toString().contains("--every"), err.toString());
    assertEquals(1, err.toString().strip().lines().count(), err.toString());
  }

  @Test
  void shouldExitTwoBeforeAnyRunWhenOutIsAFileOrABenchOptionComesWithoutBench(@TempDir Path dir) throws Exception {
    Path spec = dir.resolve("p.yaml");
    Files.writeString(spec, "name: p\nwindow: {step: 1h}\n");
    Path file = Files.writeString(dir.resolve("taken"), "x");
    StringWriter err = new StringWriter();
    assertEquals(2, run(err, "retrain", "--topology", spec.toString(), "--out", file.toString()));
    assertEquals("streamcast retrain: --out: " + file + ": is a file, not a directory", err.toString().strip());
    StringWriter benchErr = new StringWriter();
    assertEquals(2, run(benchErr, "retrain", "--topology", spec.toString(), "--bench-steps", "5"));
    assertEquals("streamcast retrain: --bench-steps: only with --bench", benchErr.toString().strip());
  }

  @Test
  void shouldExitTwoNamingFieldWhenSpecIsInvalid(@TempDir Path dir) throws Exception {
    Path spec = dir.resolve("p.yaml");
    Files.writeString(spec, "name: p\ntraining: {promoteMargin: 1.5}\n");
    StringWriter err = new StringWriter();
    assertEquals(2, run(err, "retrain", "--topology", spec.toString()));
    assertTrue(err.toString().contains("training.promoteMargin") && err.toString().contains("1.5"), err.toString());
  }

  @Test
  void shouldExitTwoWithOneLineWhenModelPublicKeyIsMissing(@TempDir Path dir) throws Exception {
    Path spec = dir.resolve("p.yaml");
    Files.writeString(spec, "name: p\nwindow: {step: 1h}\n");
    Path missing = dir.resolve("public.pem");
    StringWriter err = new StringWriter();
    assertEquals(2, run(err, "retrain", "--topology", spec.toString(), "--model-public-key", missing.toString()));
    assertEquals("--model-public-key: " + missing + ": no such file", err.toString().strip());
  }

  @Test
  void shouldPrintDecisionAndMaseByHorizonWhenJudged() {
    var spec = SpecLoader.parse("p.yaml", "name: p\nwindow: {step: 1h}\nmodel: {horizon: 8}\n");
    var j = new Judgement(Judgement.Decision.REJECTED, "challenger MASE 0.9 does not beat ...",
        java.util.Optional.empty(),
        new double[] {0.5, 0.6, 0.7, 0.8, 0.9, 1.0, 1.1, 1.2}, new double[] {0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0, 1.1},
        new double[] {1, 1, 1, 1, 1.5, 1.5, 1.5, 1.5}, 0.1, 0.2, Duration.ofSeconds(3));
    StringWriter out = new StringWriter();
    RetrainCommand.print(new PrintWriter(out), spec, j);
    String text = out.toString();
    assertTrue(text.startsWith("retrain p: rejected: challenger MASE 0.9"), text);
    assertTrue(text.contains("       1       0.5000       0.4000       1.0000"), text);
    assertTrue(text.contains("       8       1.2000       1.1000       1.5000"), text);
    assertTrue(text.contains("       4       0.8000       0.7000       1.0000"), text);
  }
}
