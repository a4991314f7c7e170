package org.streamcast.training.backtest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** metrics.csv, forecasts.csv and the PNG charts. */
class OutputFilesTest {

  private static BacktestResult result;

  @BeforeAll
  static void run() {
    Cadence hourly = new Cadence.Fixed(Duration.ofHours(1));
    Instant t0 = Instant.parse("2024-01-01T00:00:00Z");
    double[] a = new double[60];
    double[] b = new double[40];
    for (int i = 0; i < a.length; i++) {
      a[i] = 10 + Math.sin(i * Math.PI / 12) * 5;
    }
    for (int i = 0; i < b.length; i++) {
      b[i] = i == 35 ? Double.NaN : i;
    }
    Map<String, Series> data = new LinkedHashMap<>();
    data.put("site,a", new Series("site,a", t0, hourly, a));
    data.put("b", new Series("b", t0, hourly, b));
    result = Backtest.run(data, new BacktestPlan(0.8, List.of(1, 3), 1),
        List.of(new NaiveMethod(), new SeasonalNaiveMethod(24)), BacktestListener.NONE);
  }

  @Test
  void shouldWriteMetricsWithExactColumnsAndAllRowsWhenBacktestRan(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("metrics.csv");
    MetricsCsv.write(file, result.rows());
    List<String> lines = Files.readAllLines(file);
    assertEquals("key,method,h,n_eval,MAE,RMSE,sMAPE,MASE,coverage_80,MSIS_80,coverage_95,MSIS_95", lines.get(0));
    // 2 methods x (2 keys + ALL) x 2 horizons
    assertEquals(1 + 2 * 3 * 2, lines.size());
    assertTrue(lines.get(1).startsWith("\"site,a\",naive,1,12,"), lines.get(1));
    String all = lines.stream().filter(l -> l.startsWith("ALL,snaive,3,")).findFirst().orElseThrow();
    String[] f = all.split(",");
    assertEquals(12, f.length);
    assertEquals(result.summary("snaive", 3).mase(), Double.parseDouble(f[7]), 0);
    assertEquals(result.summary("snaive", 3).band(0.95).coverage(), Double.parseDouble(f[10]), 0);
    assertEquals(result.summary("snaive", 3).band(0.95).msis(), Double.parseDouble(f[11]), 0);
    assertEquals(result.summary("snaive", 3).nEval(), Long.parseLong(f[3]));
  }

  @Test
  void shouldWriteOneForecastRowPerOriginAndHorizonWhenTargetIsInsideSeries(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("forecasts.csv");
    ForecastsCsv.write(file, result);
    List<String> lines = Files.readAllLines(file);
    assertEquals("key,method,origin,h,ts,forecast,actual,lower_80,upper_80,lower_95,upper_95", lines.get(0));
    // per method: a has 12 origins (12 at h=1, 10 at h=3), b has 8 origins (8 + 6)
    assertEquals(1 + 2 * (12 + 10 + 8 + 6), lines.size());
    // b: n_train 32, origin step 34 forecasts step 35, which is missing: empty actual
    String row = "b,naive,2024-01-02T1%d:00:00Z,1,2024-01-02T1%d:00:00Z,34.0,%s,";
    assertTrue(lines.stream().anyMatch(l -> l.startsWith(String.format(row, 0, 1, ""))));
    assertTrue(lines.stream().anyMatch(l -> l.startsWith(String.format(row, 1, 2, "36.0"))));
    // the naive forecasts' bands: symmetric around the forecast where issued
    int banded = 0;
    for (String line : lines.subList(1, lines.size())) {
      String[] f = line.split(",", -1);
      if (line.startsWith("b,") && !f[7].isEmpty()) {
        banded++;
        double forecast = Double.parseDouble(f[5]);
        assertEquals(forecast - Double.parseDouble(f[7]), Double.parseDouble(f[8]) - forecast, 1e-9, line);
      }
    }
    assertTrue(banded > 0, "some forecasts of b have bands");
  }

  @Test
  void shouldWriteValidPngOfChartSizeWhenKeyIsPlotted(@TempDir Path dir) throws IOException {
    Set<String> used = new HashSet<>();
    Path png = dir.resolve(BacktestChart.fileName("site,a", used));
    BacktestChart.writePng(png, result, "site,a", "snaive");
    BufferedImage image = ImageIO.read(png.toFile());
    assertNotNull(image);
    assertEquals(BacktestChart.WIDTH, image.getWidth());
    assertEquals(BacktestChart.HEIGHT, image.getHeight());
    assertTrue(Files.size(png) > 10_000, "a chart with four lines is more than a blank image");
    assertEquals(4, BacktestChart.chart(result, "b", "snaive").getSeriesMap().size());
  }

  @Test
  void shouldMakeChartFileNamesSafeAndUniqueWhenKeysCollide() {
    Set<String> used = new HashSet<>();
    assertEquals("New_York_temp_max.png", BacktestChart.fileName("New York/temp_max", used));
    assertEquals("New_York_temp_max-2.png", BacktestChart.fileName("New York:temp_max", used));
    String longKey = "Unemployment rate - ".repeat(20);
    assertEquals(BacktestChart.MAX_NAME + 4, BacktestChart.fileName(longKey, used).length(), "a file system's limit");
    assertEquals(BacktestChart.MAX_NAME + 6, BacktestChart.fileName(longKey + "x", used).length(), "still unique");
    assertEquals("key.._etc.png", BacktestChart.fileName("../etc", used));
  }
}
