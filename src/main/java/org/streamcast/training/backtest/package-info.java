/**
 * The accuracy protocol of {@code docs/protocol.md}: rolling-origin backtests without refit, scored per key and horizon with
 * MAE, RMSE, sMAPE and MASE, and summarised over keys.
 *
 * <p>The pieces, in the order data flows through them:
 * <ul>
 *   <li>{@link org.streamcast.training.backtest.SeriesPanel} puts {@code key,timestamp,value} observations on a regular
 *       grid per key (a {@link org.streamcast.training.backtest.Cadence}: fixed step, business days or calendar
 *       months), inferring the step from the timestamps unless one is given; a missing timestamp becomes a missing
 *       step ({@code NaN}), never an invented value.</li>
 *   <li>{@link org.streamcast.training.backtest.ForecastMethod} is the seam for anything that forecasts: it is fitted
 *       once on all keys' training parts (a global recurrent model or a per-key method alike), then a
 *       {@link org.streamcast.training.backtest.Cursor} per key is stepped through the series one observation at a
 *       time and asked for the forecasts {@code h = 1..H}. {@link org.streamcast.training.backtest.NaiveMethod} and
 *       {@link org.streamcast.training.backtest.SeasonalNaiveMethod} are the baselines.</li>
 *   <li>{@link org.streamcast.training.backtest.Backtest} runs the protocol; the metric code
 *       ({@link org.streamcast.training.backtest.ErrorAccumulator}, {@link org.streamcast.training.backtest.MaseScale},
 *       {@link org.streamcast.training.backtest.Scores}) is independent of it so live scoring and the retraining job's
 *       champion/challenger decision reuse the same formulas.</li>
 *   <li>{@link org.streamcast.training.backtest.MetricsCsv}, {@link org.streamcast.training.backtest.ForecastsCsv} and
 *       {@link org.streamcast.training.backtest.BacktestChart} write the results.</li>
 * </ul>
 *
 * <p>Two different seasons are kept apart (see {@link org.streamcast.training.backtest.SeasonDefaults}): the
 * <em>scoring season</em> {@code m} of the MASE denominator, which follows the conventions of {@code docs/protocol.md}
 * (48 half-hourly, 24 hourly, 1 daily and business-daily, 12 monthly, 4 quarterly), and the <em>model seasonal
 * lags</em> a method may use as inputs (48/336 half-hourly, 24/168 hourly, 7 daily, 5 business-daily, 12 monthly,
 * 4 quarterly).
 */
package org.streamcast.training.backtest;
