package org.streamcast.training.backtest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.streamcast.cli.Streamcast;
import picocli.CommandLine;

/** {@code streamcast backtest} end to end through the real command line. */
class BacktestCommandTest {

  private record Run(int exit, String out, String err) {}

  private static Run run(String... args) {
    CommandLine cl = Streamcast.commandLine();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(err));
    int exit = cl.execute(args);
    return new Run(exit, out.toString(), err.toString());
  }

  /** Two hourly keys of different lengths; key "b" misses two hours. */
  private static Path smallCsv(Path dir) throws IOException {
    List<String> lines = new ArrayList<>();
    lines.add("key,timestamp,value");
    Instant t0 = Instant.parse("2024-03-01T00:00:00Z");
    for (int i = 0; i < 120; i++) {
      lines.add("a," + t0.plus(Duration.ofHours(i)) + "," + (100 + 10 * Math.sin(i * Math.PI / 12)));
    }
    for (int i = 0; i < 90; i++) {
      if (i != 40 && i != 80) {
        lines.add("b," + t0.plus(Duration.ofHours(i)) + "," + (i % 24));
      }
    }
    Path file = dir.resolve("small.csv");
    Files.write(file, lines);
    return file;
  }

  private static String[] fields(List<String> lines, String prefix) {
    return lines.stream().filter(l -> l.startsWith(prefix)).findFirst().orElseThrow().split(",");
  }

  @Test
  void shouldWriteMetricsForecastsAndChartsWhenRunOnSmallCsv(@TempDir Path dir) throws IOException {
    Path out = dir.resolve("out");
    Run r = run("backtest", "--file", smallCsv(dir).toString(), "--horizons", "1,6", "--out", out.toString());
    assertEquals(0, r.exit(), r.err());
    List<String> metrics = Files.readAllLines(out.resolve("metrics.csv"));
    assertEquals(MetricsCsv.header(java.util.List.of(0.8, 0.95)), metrics.get(0));
    // naive and snaive x (a, b, ALL) x (1, 6); snaive at m = 24: 96 training steps cannot hold three weeks (168)
    assertEquals(1 + 2 * 3 * 2, metrics.size());
    // a: n 120, n_train 96 -> 24 one-step errors; b: n 90, n_train 72 -> 18 origins, target 80 missing -> 17
    assertEquals("24", fields(metrics, "a,naive,1,")[3]);
    assertEquals("17", fields(metrics, "b,naive,1,")[3]);
    assertEquals("41", fields(metrics, "ALL,naive,1,")[3]);
    assertTrue(r.out().contains("2 keys, 90-120 steps of 1h, 2 missing steps"), r.out());
    assertTrue(r.out().contains("snaive (m=24)"), r.out());
    List<String> forecasts = Files.readAllLines(out.resolve("forecasts.csv"));
    assertEquals(ForecastsCsv.HEADER + ",lower_80,upper_80,lower_95,upper_95", forecasts.get(0));
    for (String key : List.of("a", "b")) {
      BufferedImage png = ImageIO.read(out.resolve(key + ".png").toFile());
      assertEquals(BacktestChart.WIDTH, png.getWidth());
      assertEquals(BacktestChart.HEIGHT, png.getHeight());
    }
  }

  @Test
  void shouldReproduceTaylorAnchorThroughCommandLineWhenDatasetIsBundled(@TempDir Path dir) throws IOException {
    Run r = run("backtest", "--dataset", "taylor", "--horizons", "1,48", "--snaive-season", "48", "--out",
        dir.toString());
    assertEquals(0, r.exit(), r.err());
    List<String> metrics = Files.readAllLines(dir.resolve("metrics.csv"));
    assertEquals(0.348, Double.parseDouble(fields(metrics, "ALL,naive,1,")[7]), 5e-4);
    assertEquals(1.078, Double.parseDouble(fields(metrics, "ALL,snaive,48,")[7]), 5e-4);
    assertTrue(r.out().contains("MASE season m=48"), r.out());
  }

  @Test
  void shouldDropSeasonsTheDataCannotHoldWhenStepIsOneMinute(@TempDir Path dir) throws IOException {
    List<String> lines = new ArrayList<>();
    lines.add("key,timestamp,value");
    Instant t0 = Instant.parse("2024-03-01T00:00:00Z");
    for (int i = 0; i < 100; i++) {
      lines.add("w," + t0.plus(Duration.ofMinutes(i)) + "," + (100 + 10 * Math.sin(i / 7.0)));
    }
    Path file = dir.resolve("minutely.csv");
    Files.write(file, lines);
    Run r = run("backtest", "--file", file.toString(), "--model", "gru", "--max-charts", "0", "--out",
        dir.resolve("out").toString());
    assertEquals(0, r.exit(), r.err());
    assertTrue(r.out().contains("MASE season m=1, model seasonal lags none"), r.out());
    List<String> metrics = Files.readAllLines(dir.resolve("out").resolve("metrics.csv"));
    assertTrue(metrics.stream().anyMatch(l -> l.startsWith("w,gru,1,20,")), metrics.toString());
  }

  @Test
  void shouldScoreWithTheM4PeriodWhenSeasonIsAFrequencyLetter(@TempDir Path dir) throws IOException {
    Run r = run("backtest", "--file", smallCsv(dir).toString(), "--horizons", "1", "--season", "H", "--max-charts",
        "0", "--out", dir.resolve("out").toString());
    assertEquals(0, r.exit(), r.err());
    assertTrue(r.out().contains("MASE season m=24"), r.out());
  }

  @Test
  void shouldExitTwoWithOneLineWhenSeasonIsNoNumberOrLongerThanTheTrainingPart(@TempDir Path dir) throws IOException {
    Path file = smallCsv(dir);
    Run letter = run("backtest", "--file", file.toString(), "--season", "\u001b[2J", "--out", dir.toString());
    assertEquals(2, letter.exit());
    assertEquals("streamcast: Invalid value for option '--season': \"\\u001b[2J\" is not a number of steps nor a "
        + "frequency (Y, Q, M, W, D, B, H) (see 'streamcast backtest --help')", letter.err().strip());
    Run longer = run("backtest", "--file", file.toString(), "--season", "96", "--out", dir.toString());
    assertEquals(2, longer.exit());
    assertEquals("--season: 96 is not shorter than the longest training part (96 steps at --split 0.8): MASE "
        + "divides by the mean seasonal difference within it", longer.err().strip());
  }

  @Test
  void shouldExitTwoWithOneLineWhenFileIsMissing(@TempDir Path dir) {
    Run r = run("backtest", "--file", dir.resolve("nope.csv").toString(), "--out", dir.toString());
    assertEquals(2, r.exit());
    assertEquals("--file: " + dir.resolve("nope.csv") + ": no such file", r.err().strip());
  }

  @Test
  void shouldExitTwoWithOneLineWhenValuesAreTooLargeToScale(@TempDir Path dir) throws IOException {
    List<String> lines = new ArrayList<>();
    lines.add("key,timestamp,value");
    Instant t0 = Instant.parse("2024-03-01T00:00:00Z");
    for (int i = 0; i < 120; i++) {
      lines.add("a," + t0.plus(Duration.ofHours(i)) + "," + (i % 2 == 0 ? "9e303" : "-9e303"));
    }
    Path file = Files.write(dir.resolve("huge.csv"), lines);
    Run r = run("backtest", "--file", file.toString(), "--model", "gru", "--horizons", "1", "--out", dir.toString());
    assertEquals(2, r.exit(), r.err());
    assertEquals("training data: values up to 9.0E303 are too large to scale (their spread overflows a double); keep "
        + "them within ±1e15, as input.maxAbsValue does in the stream", r.err().strip());
  }

  @Test
  void shouldExitTwoWithOneLineBeforeAnyWorkWhenOutIsAFile(@TempDir Path dir) throws IOException {
    Path file = Files.writeString(dir.resolve("taken"), "x");
    Run r = run("backtest", "--dataset", "taylor", "--model", "gru", "--out", file.toString());
    assertEquals(2, r.exit());
    assertEquals("--out: " + file + ": is a file, not a directory", r.err().strip());
  }

  @Test
  void shouldExitTwoWithOneLineWhenCsvIsBad(@TempDir Path dir) throws IOException {
    Path bad = dir.resolve("bad.csv");
    Files.write(bad, List.of("key,timestamp,value", "a,2024-01-01T00:00:00Z,1", "a,yesterday,2"));
    Run r = run("backtest", "--file", bad.toString(), "--out", dir.toString());
    assertEquals(2, r.exit());
    assertEquals(bad + ":3: column timestamp: \"yesterday\" is not an ISO-8601 time (e.g. 2000-06-05T00:30:00Z)",
        r.err().strip());
  }

  @Test
  void shouldLeaveOutTheShortKeyAndScoreTheOthersWhenHorizonExceedsOneKeysTestPart(@TempDir Path dir)
      throws IOException {
    Run r = run("backtest", "--file", smallCsv(dir).toString(), "--horizons", "1,19", "--out", dir.toString());
    assertEquals(0, r.exit(), r.err());
    assertTrue(r.out().contains("left out, too short for the plan: b (test part of 18 of its 90 steps, shorter than "
        + "h = 19)"), r.out());
    List<String> rows = Files.readAllLines(dir.resolve("metrics.csv"));
    assertTrue(rows.stream().anyMatch(l -> l.startsWith("a,naive,19,")), rows.toString());
    assertTrue(rows.stream().noneMatch(l -> l.startsWith("b,")), rows.toString());
  }

  @Test
  void shouldExitTwoWithOneLineWhenHorizonExceedsEveryKeysTestPart(@TempDir Path dir) throws IOException {
    Run r = run("backtest", "--file", smallCsv(dir).toString(), "--horizons", "1,25", "--out", dir.toString());
    assertEquals(2, r.exit());
    assertEquals("backtest: horizons: 25 is larger than the test part of key a (24 of its 120 steps at split 0.8)",
        r.err().strip());
  }

  @Test
  void shouldScoreTrainedGruServedThroughStepperWhenModelIsGiven(@TempDir Path dir) throws IOException {
    Path spec = dir.resolve("small.yaml");
    Files.writeString(spec, String.join("\n", "name: small", "window: {step: 1h}",
        "model: {type: gru, hiddenSize: 4, context: 24, horizon: 6, seasonalLags: [24], calendar: []}",
        "training: {epochs: 2, patience: 1, seed: 7}", ""));
    Path out = dir.resolve("out");
    Run r = run("backtest", "--file", smallCsv(dir).toString(), "--topology", spec.toString(), "--horizons", "1,6",
        "--out", out.toString());
    assertEquals(0, r.exit(), r.err());
    List<String> gru = Files.readAllLines(out.resolve("metrics.csv")).stream()
        .filter(l -> l.startsWith("ALL,gru,")).toList();
    assertEquals(2, gru.size(), "ALL rows for h=1 and h=6: " + gru);
    for (String row : gru) {
      double mase = Double.parseDouble(row.split(",")[7]);
      assertTrue(Double.isFinite(mase) && mase > 0, row);
    }
    Run unknown = run("backtest", "--file", smallCsv(dir).toString(), "--model", "xgboost");
    assertEquals(2, unknown.exit());
    assertEquals("--model: \"xgboost\" is not one of gru, lstm, rnn", unknown.err().strip());
  }

  @Test
  void shouldExitTwoWhenDatasetIsUnknownOrBothSourcesAreGiven(@TempDir Path dir) throws IOException {
    Run unknown = run("backtest", "--dataset", "sunspots");
    assertEquals(2, unknown.exit());
    assertEquals("backtest: dataset: \"sunspots\" is not a bundled dataset; try one of taylor, eustockmarkets, "
        + "vega_weather", unknown.err().strip());
    Run both = run("backtest", "--dataset", "taylor", "--file", smallCsv(dir).toString());
    assertEquals(2, both.exit());
  }

  @Test
  void shouldExitTwoNamingOptionWhenModelFileLacksTopologyOrIsUnreadable(@TempDir Path dir) throws IOException {
    Path csv = smallCsv(dir);
    Path junk = dir.resolve("junk.model");
    Files.writeString(junk, "not a model");
    Run noSpec = run("backtest", "--file", csv.toString(), "--model-file", junk.toString(), "--out",
        dir.resolve("o").toString());
    assertEquals(2, noSpec.exit());
    assertTrue(noSpec.err().contains("--model-file: needs --topology"), noSpec.err());
    Path spec = dir.resolve("p.yaml");
    Files.writeString(spec, "name: p\nwindow: {step: 1h}\nmodel: {horizon: 2}\n");
    Run unreadable = run("backtest", "--file", csv.toString(), "--topology", spec.toString(), "--model-file",
        junk.toString(), "--out", dir.resolve("o").toString());
    assertEquals(2, unreadable.exit());
    assertTrue(unreadable.err().contains("--model-file: " + junk + ": not a readable streamcast model"),
        unreadable.err());
    assertTrue(!unreadable.err().contains("\tat "), "no stack trace: " + unreadable.err());
  }
}
