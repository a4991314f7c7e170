/**
 * JMH benchmarks of the serving kernels (not unit tests: run with {@code mvn -B -o -Pbench test-compile exec:exec};
 * see BENCHMARKS.md).
 */
package org.streamcast.bench;
