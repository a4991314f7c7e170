/** Recurrent forecasting models for serving: cells, per-key step function, features, scalers and model artifacts. Never imports Kafka. */
package org.streamcast.model;
