/**
 * The end-to-end benchmark behind {@code streamcast bench}: the full forecasting pipeline measured on a real broker
 * against a pass-through Kafka Streams topology on the same broker, data, settings and machine, in the same run, so
 * that the ratios hold on a noisy shared machine.
 *
 * <p>The pieces: {@link org.streamcast.bench.BenchPlan} (the sizes, validated once), {@link
 * org.streamcast.bench.Workload} (the deterministic events: one per key per step), {@link
 * org.streamcast.bench.BenchSpec} and {@link org.streamcast.bench.BenchModel} (the pipeline and its GRU),
 * {@link org.streamcast.bench.PassThroughTopology} (the reference), the three phases {@link
 * org.streamcast.bench.ThroughputPhase}, {@link org.streamcast.bench.LatencyPhase} and {@link
 * org.streamcast.bench.StatePhase}, run in order by {@link org.streamcast.bench.BenchRunner}, whose {@link
 * org.streamcast.bench.BenchResult} is printed and written as CSV and Markdown. It prints nothing itself: progress goes
 * to a {@link org.streamcast.bench.BenchListener}.
 */
package org.streamcast.bench;
