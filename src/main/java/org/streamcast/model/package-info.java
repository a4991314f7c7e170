/**
 * Recurrent forecasting models for serving: cells, per-key step function, features, scalers and model artifacts.
 * Never imports Kafka; besides the domain it uses only the pipeline spec ({@code config}) and a key's live scores
 * ({@code quality}, pure), which travel in its {@link org.streamcast.model.KeyState}.
 */
package org.streamcast.model;
