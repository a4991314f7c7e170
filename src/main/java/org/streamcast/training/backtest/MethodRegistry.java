package org.streamcast.training.backtest;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import org.streamcast.training.ProgressListener;

/**
 * The methods a backtest can run: the baselines, always, and the learned methods selected by name ({@code --model}).
 *
 * <p>A learned method is a factory from the backtest's {@link MethodContext} to a {@link ForecastMethod}; registering
 * one is a single map entry in {@link #standard()}, for example
 * {@code Map.of("gru", ctx -> new RecurrentMethod(ModelType.GRU, ctx))}.
 */
public final class MethodRegistry {

  private final Map<String, Function<MethodContext, ForecastMethod>> learned;

  /**
   * @param learned learned methods by name (lower case, as given to {@code --model})
   */
  public MethodRegistry(Map<String, Function<MethodContext, ForecastMethod>> learned) {
    this.learned = Collections.unmodifiableMap(new TreeMap<>(learned));
  }

  /**
   * The registry of this build. The recurrent models ({@code gru}, {@code lstm}, {@code rnn}) are registered here
   * when they are part of the build; until then it holds none.
   */
  public static MethodRegistry standard() {
    return standard(ProgressListener.NONE);
  }

  /** The registry of this build: {@code gru}, {@code lstm} and {@code rnn}, reporting training progress. */
  public static MethodRegistry standard(ProgressListener progress) {
    return new MethodRegistry(RecurrentMethods.all(progress));
  }

  /** Names of the learned methods this build can run. */
  public Set<String> learnedNames() {
    return learned.keySet();
  }

  /** The learned method called {@code name}, built for {@code context}; empty when this build has none by that name. */
  public Optional<ForecastMethod> learned(String name, MethodContext context) {
    Function<MethodContext, ForecastMethod> factory = learned.get(name);
    return factory == null ? Optional.empty() : Optional.of(factory.apply(context));
  }

  /**
   * The baselines: naive, and seasonal naive when a season above 1 applies.
   *
   * @param context        the backtest's context
   * @param seasonalNaive  the seasonal naive season; 0 means {@link MethodContext#seasonalNaiveSeason()}
   */
  public static List<ForecastMethod> baselines(MethodContext context, int seasonalNaive) {
    List<ForecastMethod> out = new ArrayList<>();
    out.add(new NaiveMethod());
    int m = seasonalNaive > 0 ? seasonalNaive : context.seasonalNaiveSeason();
    if (m > 1) {
      out.add(new SeasonalNaiveMethod(m));
    }
    return out;
  }
}
