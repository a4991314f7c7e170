/**
 * Command-line interface (picocli): the only layer that reads the environment, prints for humans or calls
 * {@code System.exit}.
 */
package org.streamcast.cli;
