package org.streamcast.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.FileAppender;
import ch.qos.logback.core.filter.Filter;
import ch.qos.logback.core.spi.FilterReply;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.LoggerFactory;
import org.streamcast.config.SpecException;

/**
 * The console for people, a file for logs: {@code run} and {@code demo} show streamcast's own messages on standard
 * error (its INFO lines are written for people: what started, what was trained, what was promoted), and send every
 * logger's lines, the Kafka clients', the embedded broker's and DL4J's at INFO included, to a log file. The libraries'
 * WARN and ERROR lines are routine there (a producer retrying {@code CONCURRENT_TRANSACTIONS} while a transaction
 * commits, the broker rejecting a fenced producer's batch): streamcast reports what needs a person itself.
 * {@code --verbose} shows everything on the console as well. Stack traces go to the file only (without {@code
 * --verbose}): a console line says what failed, the file says where.
 */
final class ConsoleLogging {
  private static final String PATTERN = "%d{HH:mm:ss.SSS} %level %logger{0} - %msg%n";
  /** The console's lines without stack traces (they go to the log file; {@code --verbose} shows them). */
  private static final String CONSOLE_PATTERN = "%d{HH:mm:ss.SSS} %level %logger{0} - %msg%n%nopex";
  private static final String FILE_PATTERN = "%d{yyyy-MM-dd'T'HH:mm:ss.SSS} %level [%thread] %logger - %msg%n";
  private static final String OWN = "org.streamcast";

  private ConsoleLogging() {}

  /**
   * Reconfigures logging as described above, appending to {@code file} (its directory is created).
   *
   * @param option what named the file, for errors ({@code --log-file}, or {@code --state-dir} for its default)
   * @throws SpecException when the file cannot be written (a one-line error naming it)
   */
  static Path toFile(Path file, String option, boolean verbose) {
    Path target = file.toAbsolutePath();
    try {
      if (target.getParent() != null) {
        Files.createDirectories(target.getParent());
      }
      if (Files.isDirectory(target) || (Files.exists(target) && !Files.isWritable(target))) {
        throw new SpecException(option + ": " + file + " is not a writable file");
      }
    } catch (IOException e) {
      throw new SpecException(option + ": " + file + ": cannot create its directory (" + e.getMessage() + ")");
    }
    if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
      return target; // another SLF4J backend (embedding): leave its configuration alone
    }
    context.reset();
    FileAppender<ILoggingEvent> fileOut = new FileAppender<>();
    fileOut.setContext(context);
    fileOut.setName("file");
    fileOut.setFile(target.toString());
    fileOut.setAppend(true);
    fileOut.setEncoder(encoder(context, FILE_PATTERN));
    fileOut.start();
    if (!fileOut.isStarted()) {
      throw new SpecException(option + ": " + file + " cannot be opened for writing");
    }
    ConsoleAppender<ILoggingEvent> console = new ConsoleAppender<>();
    console.setContext(context);
    console.setName("console");
    console.setTarget("System.err");
    console.setEncoder(encoder(context, verbose ? PATTERN : CONSOLE_PATTERN));
    if (!verbose) {
      Filter<ILoggingEvent> own = new Filter<>() {
        @Override
        public FilterReply decide(ILoggingEvent event) {
          return event.getLoggerName().startsWith(OWN) ? FilterReply.NEUTRAL : FilterReply.DENY;
        }
      };
      own.setContext(context);
      own.start();
      console.addFilter(own);
    }
    console.start();
    Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    root.setLevel(Level.INFO);
    root.addAppender(fileOut);
    root.addAppender(console);
    return target;
  }

  private static PatternLayoutEncoder encoder(LoggerContext context, String pattern) {
    PatternLayoutEncoder e = new PatternLayoutEncoder();
    e.setContext(context);
    e.setPattern(pattern);
    e.start();
    return e;
  }
}
