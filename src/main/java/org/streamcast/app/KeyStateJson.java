package org.streamcast.app;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.streamcast.config.PipelineSpec;
import org.streamcast.domain.Forecast;
import org.streamcast.model.Forecaster;
import org.streamcast.model.KeyBaseline;
import org.streamcast.model.KeyState;
import org.streamcast.model.KeyStepper;
import org.streamcast.model.LiveProtection;
import org.streamcast.model.Smoothing;
import org.streamcast.quality.ChangeWatch;
import org.streamcast.quality.WatchThresholds;
import org.streamcast.quality.KeyScores;
import org.streamcast.quality.ScoredHorizons;
import org.streamcast.serving.ServingState;

/**
 * What the key queries answer: a key's latest forecast ({@code /forecasts/{key}}) and its state ({@code /state/{key}}).
 */
final class KeyStateJson {
  private static final ObjectMapper JSON = JsonMapper.builder().build();

  private KeyStateJson() {}

  /**
   * The key's latest forecast with the intervals issued with it, as on the forecasts topic; the model name is the
   * serving model's when the versions agree (each point then says its source, see {@link KeyStepper#sources}), else
   * {@code v<version>} with no sources.
   */
  static Forecast latest(PipelineSpec spec, Forecaster current, String key, ServingState state) {
    KeyState s = state.model();
    boolean same = current.version() == s.modelVersion();
    List<String> sources = same ? KeyStepper.sources(current, key, s) : null;
    String model = same ? Forecast.modelName(current.name(), sources) : "v" + s.modelVersion();
    double[] values = s.forecast();
    List<Double> levels = spec.intervals();
    List<Forecast.Point> points = new ArrayList<>(values.length);
    long stepMs = spec.window().step().toMillis();
    for (int h = 1; h <= values.length; h++) {
      List<Forecast.Interval> bands = new ArrayList<>(levels.size());
      for (int l = 0; l < levels.size(); l++) {
        double half = state.quality().latestHalfWidth(l, h);
        if (!Double.isNaN(half)) {
          bands.add(new Forecast.Interval(levels.get(l), values[h - 1] - half, values[h - 1] + half));
        }
      }
      points.add(new Forecast.Point(h, Instant.ofEpochMilli(s.forecastOrigin() + h * stepMs), values[h - 1], bands,
          sources == null || h > sources.size() ? null : sources.get(h - 1)));
    }
    return new Forecast(key, spec.name(), Instant.ofEpochMilli(s.forecastOrigin()), model, s.modelVersion(), points);
  }

  /**
   * {@code {"key", "steps", "modelVersion", "lastStep", "imputedRun", "history", "quality": {"window", "minOwn",
   * "horizons": [{"h", "n", "mae", "rmse", "skill", "ownIntervals"}]}, "sources": {"window", "minPairs", "level",
   * "horizons": [{"h", "source", "pairs", "learnedWorse", "p"}]}}}: the key's own rolling quality per scored
   * horizon over its last {@value KeyScores#WINDOW} scored forecasts ({@code ownIntervals}: whether its intervals
   * come from its own residuals, else from the pipeline's); {@code quality} is null before the key's first step with
   * live scoring. {@code sources} says per horizon what serves the key ({@code learned} or the baseline's name) and
   * the live-protection test behind it ({@link LiveProtection}): the paired comparisons in its window, how many the
   * learned output lost, and the one-sided p-value of switching away from the current source; it is null when the
   * serving model has no baseline to fall back to or the key has not stepped with it. A stored entry that cannot be
   * decoded answers {@code {"key", "corrupt": reason}}. A key with its own smoothing baseline ({@code ets(...)} among
   * its sources) also shows {@code "smoothing": {"level", "trend", "season"}} (season: its length in steps, 0 for
   * none) once that has started.
   */
  static String state(Forecaster current, String key, ServingState state) {
    return state(null, current, key, state);
  }

  /**
   * {@link #state(Forecaster, String, ServingState)} with what the pipeline's spec names: the key's latest covariates
   * ({@code "covariates": {field: value}}, when the spec has covariates and the key has stepped) and its anomaly
   * check ({@code "anomalies": {"tokens", "flatlineRun", "shiftUp", "shiftDown", "shiftThreshold"}}, when the
   * pipeline publishes anomalies: the rate limit's tokens left, the current run of identical actuals, and the level
   * shift watch's two sums against their threshold, all in σ of the key's band), so an operator can see why a key
   * flags or stays quiet.
   */
  static String state(PipelineSpec spec, Forecaster current, String key, ServingState state) {
    ObjectNode n = JSON.createObjectNode();
    n.put("key", key);
    if (state.corruption() != null) {
      // the stored entry cannot be decoded: the key starts over at its next step
      n.put("corrupt", state.corruption());
      return n.toString();
    }
    KeyState s = state.model();
    n.put("steps", s.observedSteps());
    n.put("modelVersion", s.modelVersion());
    if (s.lastStep() == KeyState.NO_STEP) {
      n.putNull("lastStep");
    } else {
      n.put("lastStep", Instant.ofEpochMilli(s.lastStep()).toString());
    }
    n.put("imputedRun", s.imputedRun());
    n.put("history", s.history().size());
    KeyScores scores = state.quality();
    sources(n, current, key, s);
    ownBaseline(n, current, key, s);
    if (spec != null) {
      pipelineParts(n, spec, s, scores);
    }
    if (!scores.isShaped()) {
      n.putNull("quality");
      return n.toString();
    }
    ObjectNode q = n.putObject("quality");
    q.put("window", KeyScores.WINDOW);
    q.put("minOwn", KeyScores.MIN_OWN);
    ArrayNode hs = q.putArray("horizons");
    ScoredHorizons horizons = scores.horizons();
    for (int j = 0; j < horizons.count(); j++) {
      ObjectNode o = hs.addObject();
      o.put("h", horizons.get(j));
      o.put("n", scores.count(j));
      number(o, "mae", scores.mae(j));
      number(o, "rmse", scores.rmse(j));
      number(o, "skill", scores.skill(j));
      o.put("ownIntervals", scores.count(j) >= KeyScores.MIN_OWN);
    }
    return n.toString();
  }

  private static void pipelineParts(ObjectNode n, PipelineSpec spec, KeyState s, KeyScores scores) {
    List<String> covariates = spec.input().covariates();
    if (!covariates.isEmpty() && s.covariates().size() > 0) {
      ObjectNode c = n.putObject("covariates");
      for (int f = 0; f < covariates.size(); f++) {
        number(c, covariates.get(f), s.covariates().get(0, f));
      }
    }
    if (spec.output().anomalies() != null) {
      PipelineSpec.Anomalies a = spec.anomalies();
      ChangeWatch watch = scores.change();
      ObjectNode o = n.putObject("anomalies");
      number(o, "tokens", scores.budget().tokens(a.maxPerKeyPerHour()));
      o.put("flatlineRun", watch.run());
      number(o, "shiftUp", watch.upSum());
      number(o, "shiftDown", watch.downSum());
      number(o, "shiftThreshold", a.shift() ? WatchThresholds.cusumThreshold(a.level()) : Double.NaN);
    }
  }

  private static void sources(ObjectNode n, Forecaster current, String key, KeyState s) {
    LiveProtection p = s.protection();
    if (current.baselines() == null || !p.startedFor(current.version())) {
      n.putNull("sources");
      return;
    }
    ObjectNode o = n.putObject("sources");
    o.put("window", LiveProtection.WINDOW);
    o.put("minPairs", LiveProtection.MIN_PAIRS);
    o.put("level", LiveProtection.LEVEL);
    ArrayNode hs = o.putArray("horizons");
    List<String> names = KeyStepper.sources(current, key, s);
    for (int h = 1; h <= p.horizon(); h++) {
      ObjectNode e = hs.addObject();
      e.put("h", h);
      e.put("source", names.get(h - 1));
      e.put("pairs", p.pairs(h));
      e.put("learnedWorse", p.learnedWorse(h));
      e.put("p", p.pValue(h));
    }
  }

  /**
   * The key's own baseline, once started under the current model: its name, and a smoothing's level, trend and
   * season length, or the values an autoregression weighs (newest first).
   */
  private static void ownBaseline(ObjectNode n, Forecaster current, String key, KeyState s) {
    KeyBaseline own = current.version() == s.modelVersion() ? current.ownBaseline(key) : null;
    double[] st = s.ownBaseline();
    if (own == null || !own.fits(st)) {
      return;
    }
    ObjectNode o = n.putObject("ownBaseline").put("name", own.name());
    if (own instanceof Smoothing) {
      number(o, "level", st[0]);
      number(o, "trend", st[1]);
      o.put("season", st.length - 3);
    } else {
      ArrayNode lags = o.putArray("lags");
      for (double v : st) {
        lags.add(v);
      }
    }
  }

  private static void number(ObjectNode o, String field, double v) {
    if (Double.isFinite(v)) {
      o.put(field, v);
    } else {
      o.putNull(field);
    }
  }
}
