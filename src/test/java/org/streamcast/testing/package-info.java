/**
 * Test infrastructure shared by all integration tests: {@link org.streamcast.testing.KafkaExtension} (the one way
 * to get a broker), {@link org.streamcast.testing.TestKafka} (its client helpers), {@link
 * org.streamcast.testing.Await} (poll a condition with a deadline instead of sleeping), {@link
 * org.streamcast.testing.StreamcastProcess} (run {@code java -jar target/streamcast.jar} as a child process) and
 * {@link org.streamcast.testing.Kcat} (the third-party {@code kcat} client); and {@link
 * org.streamcast.testing.RecordingForecaster} (which batches of keys the pipeline stepped together).
 */
package org.streamcast.testing;
