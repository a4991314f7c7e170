/**
 * The one serving step of a key, pure and without Kafka: given the key's state, its next observation and the model
 * serving now, it steps the model, scores the key's pending forecasts against the actual, computes the adaptive
 * conformal intervals and assembles the forecast ({@link org.streamcast.serving.ServingStep}). The stream's forecast
 * processor and the backtest drive the same step, so live and backtested forecasts and intervals are the same numbers.
 * Imports model, quality, domain and config; never Kafka, never DL4J.
 */
package org.streamcast.serving;
