package org.streamcast.training.backtest;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Set;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * A PNG per key: the actual series over the test part against one method's forecasts at {@code h = 1} and at the
 * longest horizon (each drawn at the time it forecasts), with the naive {@code h = 1} forecast for reference. Missing
 * actuals leave gaps in the line.
 */
public final class BacktestChart {

  /** Chart width in pixels. */
  public static final int WIDTH = 1200;
  /** Chart height in pixels. */
  public static final int HEIGHT = 500;

  private BacktestChart() {}

  /**
   * Builds the chart of one key.
   *
   * @param result the backtest
   * @param key    the key
   * @param method the method whose forecasts are drawn
   */
  public static XYChart chart(BacktestResult result, String key, String method) {
    KeyRun run = result.run(method, key);
    Series s = run.series();
    boolean subDaily = s.cadence() instanceof Cadence.Fixed f && f.step().compareTo(Cadence.DAY) < 0;
    XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT)
        .title(key + ": actual vs " + method + " forecasts over the test part")
        .xAxisTitle("time (UTC)").yAxisTitle("value").build();
    chart.getStyler().setDatePattern(subDaily ? "MM-dd HH:mm" : "yyyy-MM-dd");
    chart.getStyler().setChartBackgroundColor(Color.WHITE);
    chart.getStyler().setPlotGridLinesColor(new Color(225, 225, 225));
    chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
    chart.getStyler().setLegendLayout(Styler.LegendLayout.Horizontal);

    List<Date> times = new ArrayList<>();
    List<Double> actual = new ArrayList<>();
    for (int i = run.trainLength(); i < s.length(); i++) {
      times.add(Date.from(s.time(i)));
      actual.add(s.value(i));
    }
    style(chart.addSeries("actual", times, actual), Color.BLACK, new BasicStroke(1.6f));

    List<Integer> horizons = run.horizons();
    int shortest = horizons.get(0);
    int longest = horizons.get(horizons.size() - 1);
    if (!method.equals(NaiveMethod.NAME) && result.methods().contains(NaiveMethod.NAME)) {
      addForecast(chart, result.run(NaiveMethod.NAME, key), NaiveMethod.NAME + " h=" + shortest, shortest,
          new Color(160, 160, 160), new BasicStroke(1.0f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f,
              new float[] {4f, 3f}, 0f));
    }
    addForecast(chart, run, method + " h=" + shortest, shortest, new Color(31, 119, 180), new BasicStroke(1.0f));
    if (longest != shortest) {
      addForecast(chart, run, method + " h=" + longest, longest, new Color(214, 39, 40), new BasicStroke(1.0f));
    }
    return chart;
  }

  private static void addForecast(XYChart chart, KeyRun run, String name, int h, Color color, BasicStroke stroke) {
    List<Date> times = new ArrayList<>();
    List<Double> values = new ArrayList<>();
    for (int o = 0; o < run.origins() && run.hasTarget(o, h); o++) {
      times.add(Date.from(run.series().time(run.originStep(o) + h)));
      values.add(run.forecast(o, h));
    }
    style(chart.addSeries(name, times, values), color, stroke);
  }

  private static void style(XYSeries series, Color color, BasicStroke stroke) {
    series.setMarker(SeriesMarkers.NONE);
    series.setLineColor(color);
    series.setLineStyle(stroke);
  }

  /** Writes the chart of one key as a PNG file. */
  public static void writePng(Path file, BacktestResult result, String key, String method) throws IOException {
    XYChart chart = chart(result, key, method);
    try (OutputStream out = Files.newOutputStream(file)) {
      BitmapEncoder.saveBitmap(chart, out, BitmapEncoder.BitmapFormat.PNG);
    }
  }

  /** Longest chart file name before its suffix and {@code .png}. */
  static final int MAX_NAME = 200;

  /**
   * A file name for a key's chart: the key with every character outside {@code [A-Za-z0-9._-]} replaced by
   * {@code _}, cut to its first {@value #MAX_NAME} characters (file systems refuse names over 255 bytes), made unique
   * against {@code used} (which it joins), plus {@code .png}.
   */
  public static String fileName(String key, Set<String> used) {
    String base = key.replaceAll("[^A-Za-z0-9._-]", "_");
    if (base.isEmpty() || base.startsWith(".")) {
      base = "key" + base;
    }
    if (base.length() > MAX_NAME) {
      base = base.substring(0, MAX_NAME);
    }
    String name = base + ".png";
    for (int i = 2; !used.add(name.toLowerCase(java.util.Locale.ROOT)); i++) {
      name = base + "-" + i + ".png";
    }
    return name;
  }
}
