package org.streamcast.training.backtest;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.streamcast.config.PipelineSpec;
import org.streamcast.config.SpecLoader;
import org.streamcast.model.RecurrentForecaster;
import org.streamcast.training.KeySeries;
import org.streamcast.training.ProgressListener;
import org.streamcast.training.TrainedModel;
import org.streamcast.training.Trainer;

/**
 * The learned methods of the backtest: a GRU, LSTM or vanilla RNN trained once with DL4J on all keys' training parts
 * (one global model) and then served exactly as the stream processor serves it ({@link ForecasterMethod}).
 *
 * <p>The model and training settings come from the spec given with {@code --topology}; without one, from
 * {@link #defaultSpec}: the spec defaults for the data's step (the same defaults a user gets with an almost empty
 * spec) with the seasonal lags of {@link MethodContext#seasonalLags()}, except that business-day data is treated as
 * market prices (see there).
 */
public final class RecurrentMethods {
  private RecurrentMethods() {}

  /** {@code gru}, {@code lstm} and {@code rnn}, for {@link MethodRegistry}. */
  public static Map<String, Function<MethodContext, ForecastMethod>> all(ProgressListener progress) {
    Map<String, Function<MethodContext, ForecastMethod>> out = new java.util.LinkedHashMap<>();
    for (PipelineSpec.ModelType type : PipelineSpec.ModelType.values()) {
      out.put(type.name().toLowerCase(Locale.ROOT), ctx -> of(type, ctx, progress));
    }
    return out;
  }

  /** The learned method of {@code type} in {@code ctx}. */
  public static ForecastMethod of(PipelineSpec.ModelType type, MethodContext ctx, ProgressListener progress) {
    String name = type.name().toLowerCase(Locale.ROOT);
    return new ForecastMethod() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public Fitted fit(Map<String, Series> trainParts, int horizon) {
        PipelineSpec spec = ctx.spec().orElseGet(() -> defaultSpec(ctx, horizon, allPositive(trainParts)));
        PipelineSpec.Model m = spec.model();
        PipelineSpec.Model model = new PipelineSpec.Model(type, m.layers(), m.hiddenSize(), m.context(),
            Math.max(m.horizon(), horizon), m.target(), m.calendar(), m.seasonalLags(), m.imputedFlag(), m.gaps());
        long stepMs = stepOf(ctx.cadence()).toMillis();
        ForecasterMethod served = new ForecasterMethod(name, (parts, h) -> train(model, spec, parts, progress),
            model.gaps(), stepMs, model.historyCapacity(), ctx.bands(),
            spec.output().anomalies() == null ? null : spec.anomalies());
        return served.fit(trainParts, horizon);
      }
    };
  }

  /** A trained model as it is served, and the values of history each key keeps under it. */
  public record Served(RecurrentForecaster model, int historyCapacity) {}

  /**
   * A model of {@code type} trained on {@code trainParts} with the settings {@link #of} uses (the spec's, else
   * {@link #defaultSpec}), for callers that serve it themselves (the anomaly backtest).
   */
  public static Served train(PipelineSpec.ModelType type, MethodContext ctx, Map<String, Series> trainParts,
      int horizon, ProgressListener progress) {
    PipelineSpec spec = ctx.spec().orElseGet(() -> defaultSpec(ctx, horizon, allPositive(trainParts)));
    PipelineSpec.Model m = spec.model();
    PipelineSpec.Model model = new PipelineSpec.Model(type, m.layers(), m.hiddenSize(), m.context(),
        Math.max(m.horizon(), horizon), m.target(), m.calendar(), m.seasonalLags(), m.imputedFlag(), m.gaps());
    return new Served(train(model, spec, trainParts, progress), model.historyCapacity());
  }

  private static RecurrentForecaster train(PipelineSpec.Model model, PipelineSpec spec, Map<String, Series> parts,
      ProgressListener progress) {
    List<String> covariates = parts.isEmpty() ? List.of() : parts.values().iterator().next().covariateNames();
    TrainedModel trained = new Trainer().train(model, spec.training(), keySeries(parts), covariates,
        "backtest of " + spec.name(), progress);
    return RecurrentForecaster.serving(trained.artifact());
  }

  /**
   * The training form of backtest series: timestamps per step, gaps as NaN, each covariate held at its last value
   * where it has none (as the serving step holds it, {@code KeyStepper}).
   */
  public static List<KeySeries> keySeries(Map<String, Series> parts) {
    List<KeySeries> series = new ArrayList<>();
    for (Series s : parts.values()) {
      long[] seconds = new long[s.length()];
      for (int i = 0; i < seconds.length; i++) {
        seconds[i] = s.cadence().at(s.start(), i).getEpochSecond();
      }
      series.add(KeySeries.withGaps(s.key(), seconds, s.values(), s.covariates()));
    }
    return series;
  }

  /** A nominal step length: the fixed step, or one day for business days, 30 days a month. */
  static Duration stepOf(Cadence cadence) {
    if (cadence instanceof Cadence.Fixed f) {
      return f.step();
    }
    if (cadence instanceof Cadence.Months m) {
      return Duration.ofDays(30L * m.months());
    }
    return Duration.ofDays(1);
  }

  /**
   * The settings of a learned method without {@code --topology}: the spec a user gets for this data with only the
   * step, the seasonal lags and the horizon set. Business-day data (a weekday-only calendar: exchange trading days)
   * is read as market prices, as the shipped {@code prices.yaml} does: gap policy {@code skip} (the next trading day
   * is the next step), the target as relative returns ({@code return}; {@code difference} when some training value
   * is not positive), and no calendar inputs or imputed flag. A model on price levels extrapolates badly once
   * prices leave the training range; returns keep its inputs on the scale it was trained on.
   *
   * @param allPositive whether every training value is above 0 (returns are defined)
   */
  static PipelineSpec defaultSpec(MethodContext ctx, int horizon, boolean allPositive) {
    boolean business = ctx.cadence() instanceof Cadence.BusinessDays;
    String lags = ctx.seasonalLags().stream().map(String::valueOf).collect(Collectors.joining(", ", "[", "]"));
    Duration step = stepOf(ctx.cadence());
    String model = "model: {horizon: " + horizon + ", seasonalLags: " + lags + ", gaps: {policy: "
        + (business ? "skip" : "impute") + "}"
        + (business ? ", target: " + (allPositive ? "return" : "difference") + ", calendar: [], imputedFlag: false"
            : "")
        + "}";
    return SpecLoader.parse("backtest defaults", String.join("\n",
        "name: backtest",
        "window: {step: " + step.toMillis() + "ms}",
        model,
        ""));
  }

  private static boolean allPositive(Map<String, Series> parts) {
    for (Series s : parts.values()) {
      for (int i = 0; i < s.length(); i++) {
        if (s.observed(i) && !(s.value(i) > 0)) {
          return false;
        }
      }
    }
    return true;
  }
}
