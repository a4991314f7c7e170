/**
 * The retraining side job: reads a pipeline's series topic, trains a challenger, scores it against the model in
 * service on the most recent history the challenger did not train on, and publishes the winner to the model topic.
 * The judging ({@link org.streamcast.retrain.Retrainer}) is pure; {@link org.streamcast.retrain.RetrainJob} does the
 * Kafka I/O around it.
 */
package org.streamcast.retrain;
