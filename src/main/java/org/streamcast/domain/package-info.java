/**
 * Plain domain values (records) shared across layers, {@link org.streamcast.domain.UserFiles} (the one bounded read
 * of a file a user names), and {@link org.streamcast.domain.PipelineObserver}, through
 * which the topology reports its events to the metrics without either knowing the other; no dependencies beyond the
 * JDK.
 */
package org.streamcast.domain;
