package org.streamcast.cli;

import java.io.PrintWriter;
import java.util.List;
import picocli.CommandLine;

/**
 * The main class of {@code streamcast-serving.jar}: {@code run} (without {@code --with-retrainer}), {@code describe}
 * and the HTTP endpoints, without DL4J/ND4J, the broker, charts or benchmarks. The commands it does not carry are
 * refused by name with one line and exit 2, before anything tries to load their classes.
 */
public final class ServingMain {
  /** The commands only the full jar carries (FullCommands), by name: naming their classes would load them. */
  static final List<String> FULL_ONLY = List.of("broker", "demo", "produce", "backtest", "train", "retrain", "bench");

  private ServingMain() {
  }

  public static void main(String[] args) {
    System.exit(execute(Streamcast.commandLine(CliEnvironment.system(), Streamcast.Edition.SERVING), args));
  }

  /** Runs the serving command line and returns its exit code; used by {@link #main} and by tests. */
  static int execute(CommandLine cl, String... args) {
    String refused = refusal(args);
    if (refused != null) {
      PrintWriter err = cl.getErr();
      err.println(refused);
      err.flush();
      return Streamcast.EXIT_USAGE;
    }
    return Streamcast.execute(cl, args);
  }

  /** The one-line refusal of a command this jar does not carry, or {@code null}. */
  static String refusal(String... args) {
    if (args.length == 0) {
      return null;
    }
    String command = args[0].equals("help") && args.length > 1 ? args[1] : args[0];
    return FULL_ONLY.contains(command)
        ? "streamcast: '" + command + "' is not in the serving jar (it carries run, describe, schema, models and "
            + "the HTTP endpoints); use the full streamcast.jar"
        : null;
  }
}
