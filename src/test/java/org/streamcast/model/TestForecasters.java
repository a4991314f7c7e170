package org.streamcast.model;

/** Small servable models for tests outside this package. */
public final class TestForecasters {

  private TestForecasters() {}

  /**
   * A deterministic random LSTM (8 hidden units, horizon 2, lag 4, time of day, global scale 0 ± 1000) serving as
   * version 1 after one warm-up step: its forecasts depend on the keys' hidden state.
   */
  public static Forecaster lstm() {
    return new RecurrentForecaster(ForecastSessionTest.model(), 1, 1);
  }
}
