package org.streamcast.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code --log-file} and {@code --verbose} of the commands that run pipelines ({@code run}, {@code demo}). */
final class LogOptions {
  @Option(names = "--log-file", paramLabel = "FILE",
      description = "Where the full logs go (Kafka clients, the embedded broker, DL4J, and streamcast's own); the "
          + "console shows streamcast's messages only (default: streamcast.log in the state directory; for demo, a "
          + "new file in the temporary directory). The path is printed at start.")
  Path logFile;

  @Option(names = "--verbose",
      description = "Also show every library's log lines on the console (they always go to the log file).")
  boolean verbose;
}
