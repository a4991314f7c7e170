/**
 * Live forecast quality, pure and without Kafka: each key's pending forecasts scored against the actuals as they
 * arrive ({@link org.streamcast.quality.KeyScores}), rolling error and skill per pipeline and horizon
 * ({@link org.streamcast.quality.PipelineScores}), and split-conformal prediction intervals from the recent absolute
 * residuals of each horizon ({@link org.streamcast.quality.Intervals}, {@link org.streamcast.quality.Conformal}).
 */
package org.streamcast.quality;
