package org.streamcast.cli;

import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.streams.errors.ProcessorStateException;
import org.streamcast.config.SpecException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code streamcast} command. Exit codes: 0 success, 1 runtime failure, 2 usage or configuration error.
 */
@Command(
    name = "streamcast",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = "Streaming time-series forecasting on Kafka Streams with stateful GRU/LSTM/RNN models.",
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
        "0:success",
        "1:runtime failure (broker unreachable, I/O error, ...)",
        "2:usage or configuration error (bad option, invalid spec)"})
public final class Streamcast implements Runnable {

  /** Exit code for a runtime failure. */
  public static final int EXIT_FAILURE = 1;
  /** Exit code for a usage or configuration error. */
  public static final int EXIT_USAGE = 2;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  private final CliEnvironment environment;
  private final Edition edition;

  /** The command in the real process environment. */
  public Streamcast() {
    this(CliEnvironment.system());
  }

  /** The command with a given environment (variables, standard input, terminal or not). */
  public Streamcast(CliEnvironment environment) {
    this(environment, Edition.FULL);
  }

  private Streamcast(CliEnvironment environment, Edition edition) {
    this.environment = environment;
    this.edition = edition;
  }

  /**
   * Which jar this command line is: the full CLI, or the serving jar that carries {@code run} (without the
   * in-process retrainer) and {@code describe} only.
   */
  public enum Edition {
    /** target/streamcast.jar: every command. */
    FULL,
    /** target/streamcast-serving.jar: no DL4J/ND4J, broker, chart or benchmark classes. */
    SERVING
  }

  /** Which jar this command line runs as. */
  Edition edition() {
    return edition;
  }

  /** What subcommands take from the process; subcommands reach it through {@code @ParentCommand}. */
  CliEnvironment environment() {
    return environment;
  }

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** Builds the command line with the house exit codes and error handling; used by {@link #main} and by tests. */
  public static CommandLine commandLine() {
    return commandLine(CliEnvironment.system());
  }

  /** {@link #commandLine()} with a given environment: tests pass variables and standard input this way. */
  public static CommandLine commandLine(CliEnvironment environment) {
    return commandLine(environment, Edition.FULL);
  }

  /**
   * {@link #commandLine(CliEnvironment)} for one edition. The subcommands are registered here, not in the
   * {@code @Command} annotation: picocli reflects on every listed class, and the serving jar must never load the
   * commands whose fields and methods name DL4J, broker or chart types. Only {@link Edition#FULL} names them.
   */
  public static CommandLine commandLine(CliEnvironment environment, Edition edition) {
    CommandLine cl = new CommandLine(new Streamcast(environment, edition));
    cl.addSubcommand(new CommandLine.HelpCommand());
    if (edition == Edition.FULL) {
      FullCommands.addTo(cl);
    } else {
      cl.addSubcommand(new RunCommand());
      cl.addSubcommand(new DescribeCommand());
      cl.addSubcommand(new SchemaCommand());
      cl.addSubcommand(new ModelsCommand());
    }
    cl.setExitCodeExceptionMapper(e -> e instanceof SpecException ? EXIT_USAGE : EXIT_FAILURE);
    cl.setParameterExceptionHandler((ex, args) -> {
      CommandLine cmd = ex.getCommandLine();
      // one line, as every other usage error; picocli's own messages also say where the options are described
      String message = String.join("; ", String.valueOf(ex.getMessage()).strip().split("\\R+"));
      cmd.getErr().println("streamcast: " + message + (message.startsWith("--") ? ""
          : " (see '" + cmd.getCommandSpec().qualifiedName() + " --help')"));
      return EXIT_USAGE;
    });
    cl.setExecutionExceptionHandler((ex, cmd, parseResult) -> {
      Throwable cause = ex;
      if (cause instanceof SpecException) {
        cmd.getErr().println(cause.getMessage());
        return EXIT_USAGE;
      }
      ConfigException config = kafkaConfig(cause);
      if (config != null) {
        // a Kafka client refused its settings (an address that does not resolve, a bad property): a user mistake
        cmd.getErr().println("streamcast: " + describe(config));
        return EXIT_USAGE;
      }
      cmd.getErr().println("streamcast: " + describe(cause));
      if (Boolean.getBoolean("streamcast.trace")) {
        cause.printStackTrace(cmd.getErr());
      }
      return EXIT_FAILURE;
    });
    return cl;
  }

  /** The Kafka client configuration error in {@code t}'s causes, or null. */
  private static ConfigException kafkaConfig(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
      if (c instanceof ConfigException e) {
        return e;
      }
    }
    return null;
  }

  static String describe(Throwable t) {
    String message = t.getMessage();
    String line = message == null || message.isBlank() ? t.getClass().getSimpleName() : message;
    for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
      if (c instanceof ProcessorStateException) {
        // the same failure comes back at every restart until someone acts: say what to do
        return line + " (the local state is damaged or locked: with no other instance on this --state-dir, delete "
            + "the directory named and start again; it is rebuilt from the changelog topics)";
      }
      if (c instanceof org.apache.kafka.streams.errors.MissingSourceTopicException) {
        return line + " (a topic the pipeline reads was deleted while it ran: create it again, then start again)";
      }
    }
    return line;
  }

  public static void main(String[] args) {
    System.exit(execute(commandLine(), args));
  }

  /**
   * Runs the command line and returns its exit code; an {@link Error} (out of memory, a missing class, ...) that
   * escapes a command is exit 1 with one line, never a dead main thread in a live process.
   */
  static int execute(CommandLine cl, String... args) {
    try {
      return cl.execute(args);
    } catch (Throwable t) {
      try {
        cl.getErr().println("streamcast: fatal: " + t);
        if (Boolean.getBoolean("streamcast.trace")) {
          t.printStackTrace(cl.getErr());
        }
        cl.getErr().flush();
      } catch (Throwable ignored) {
        // out of memory even for one line: the exit code still says it
      }
      return EXIT_FAILURE;
    }
  }
}
