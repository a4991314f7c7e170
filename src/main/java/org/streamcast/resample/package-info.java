/**
 * The one resampler (issue 14): epoch-aligned steps ({@link org.streamcast.resample.StepGrid}), the running
 * aggregate of a step's events ({@link org.streamcast.resample.WindowAggregate}, the spec's aggregation per field)
 * and the batch form over a file's rows ({@link org.streamcast.resample.Resampler}, gap steps per the spec's gap
 * policy). The stream's resample processor, training, the backtest and the retrainer all use it, so they agree on
 * every step. Pure Java: no Kafka, no DL4J.
 */
package org.streamcast.resample;
