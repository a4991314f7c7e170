package org.streamcast.cli;

import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.streamcast.kafka.EmbeddedKafkaBroker;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

/** {@code streamcast broker}: a local single-node Kafka broker for development, without Docker. */
@Command(
    name = "broker",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = {
        "Runs a local single-node Apache Kafka broker until Ctrl-C or SIGTERM (then stops cleanly, exit 0).",
        "One KRaft node, broker and controller in this process, listening on 127.0.0.1 only; no Docker needed. "
            + "Transactions (exactly-once) work; topics are auto-created with 1 partition.",
        "Prints one line with the bootstrap address and where the data lives."},
    footerHeading = "%nExamples:%n",
    footer = {
        "  streamcast broker                        # 127.0.0.1:9092, temporary data",
        "  streamcast broker --data-dir kafka-data  # data survives a restart",
        "  streamcast broker --port 0               # a free port, printed on start"})
final class BrokerCommand implements Callable<Integer> {

  @Option(names = "--port", paramLabel = "PORT", defaultValue = "9092",
      description = "Client port on 127.0.0.1 (default: ${DEFAULT-VALUE}); 0 picks a free port.")
  int port;

  @Option(names = "--data-dir", paramLabel = "DIR",
      description = "Keep the broker's data in DIR across restarts (created if missing; must be empty or hold "
          + "data of an earlier run). Without it, data goes to a temporary directory deleted on exit.")
  Path dataDir;

  @CommandLine.Spec CommandSpec spec;

  @Override
  public Integer call() throws InterruptedException {
    if (port < 0 || port > 65_535) {
      throw new CommandLine.ParameterException(spec.commandLine(),
          "--port: " + port + " is not a port number (0-65535; 0 picks a free one)");
    }
    if (dataDir != null) {
      try {
        EmbeddedKafkaBroker.validateDataDir(dataDir);
      } catch (IllegalArgumentException e) {
        throw new CommandLine.ParameterException(spec.commandLine(), "--data-dir: " + e.getMessage());
      }
    }
    EmbeddedKafkaBroker.Builder builder = EmbeddedKafkaBroker.builder().port(port);
    if (dataDir != null) {
      builder.dataDir(dataDir);
    }
    StopSignal stop = StopSignal.install();
    try (EmbeddedKafkaBroker broker = builder.build().start()) {
      spec.commandLine().getOut().println(readyLine(broker));
      spec.commandLine().getOut().flush();
      stop.await();
    } finally {
      stop.done();
    }
    return 0;
  }

  static String readyLine(EmbeddedKafkaBroker broker) {
    return String.format(Locale.ROOT, "Kafka broker ready at %s in %.1f s; data in %s (%s); Ctrl-C stops it",
        broker.bootstrapServers(), broker.startupTime().toMillis() / 1000.0, broker.dataDir(),
        broker.isPersistent() ? "kept across restarts" : "temporary, deleted on exit");
  }
}
