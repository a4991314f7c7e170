/**
 * A running streamcast process: starts each pipeline's Kafka Streams instance with its topics, the HTTP port and
 * the meters, reports readiness, and shuts everything down in order. Used by the {@code run} and {@code demo}
 * commands; it prints nothing for humans and never exits the JVM.
 */
package org.streamcast.app;
