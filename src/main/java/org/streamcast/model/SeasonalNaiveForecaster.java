package org.streamcast.model;

import java.util.List;

/**
 * The baseline: seasonal naive with season {@code m}, {@code ŷ[t+h] = y[t + h − m·ceil(h/m)]} (naive when m = 1).
 * Serves until a trained model exists, tagged as model {@code baseline}, version 0.
 */
public final class SeasonalNaiveForecaster implements Forecaster {
  /** The baseline's name on forecast records. */
  public static final String NAME = "baseline";

  private final int season;
  private final int horizon;

  /** Seasonal naive with season {@code season} (1 = naive) forecasting {@code horizon} steps. */
  public SeasonalNaiveForecaster(int season, int horizon) {
    if (season < 1 || horizon < 1) {
      throw new IllegalArgumentException("season and horizon must be >= 1: " + season + ", " + horizon);
    }
    this.season = season;
    this.horizon = horizon;
  }

  /**
   * The model a pipeline serves until a trained one exists: seasonal naive with the longest of its seasonal lags
   * (naive without any).
   */
  public static SeasonalNaiveForecaster baseline(List<Integer> seasonalLags, int horizon) {
    return new SeasonalNaiveForecaster(seasonalLags.stream().mapToInt(Integer::intValue).max().orElse(1), horizon);
  }

  /** The season m. */
  public int season() {
    return season;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public long version() {
    return 0;
  }

  @Override
  public int horizon() {
    return horizon;
  }

  @Override
  public int warmup() {
    return season;
  }

  @Override
  public int stateSize() {
    return 0;
  }

  @Override
  public boolean step(KeyState state, long stepStart, double[] out) {
    History h = state.history();
    if (h.size() < season) {
      return false;
    }
    for (int k = 1; k <= horizon; k++) {
      int back = season * ((k + season - 1) / season) - k; // t + h − m·ceil(h/m), as a lag from the newest value
      out[k - 1] = h.get(back);
    }
    return true;
  }

  /** Every horizon: {@code naive}, or {@code snaive(m)} for a season {@code m > 1}. */
  @Override
  public java.util.List<String> sources(String key) {
    return java.util.Collections.nCopies(horizon, season == 1 ? "naive" : "snaive(" + season + ")");
  }

  @Override
  public boolean rewarm(KeyState state, long lastStepStart, long stepMs, double[] out) {
    state.hidden(new float[0], version());
    return step(state, lastStepStart, out);
  }
}
