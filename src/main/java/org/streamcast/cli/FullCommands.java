package org.streamcast.cli;

import picocli.CommandLine;

/**
 * The subcommands of the full jar, in the order {@code --help} lists them. A class of its own so that the serving
 * jar, which does not carry most of them, never resolves their names.
 */
final class FullCommands {
  private FullCommands() {
  }

  static void addTo(CommandLine cl) {
    cl.addSubcommand(new BrokerCommand());
    cl.addSubcommand(new DemoCommand());
    cl.addSubcommand(new RunCommand());
    cl.addSubcommand(new ProduceCommand());
    cl.addSubcommand(new DescribeCommand());
    cl.addSubcommand(new BacktestCommand());
    cl.addSubcommand(new TrainCommand());
    cl.addSubcommand(new RetrainCommand());
    cl.addSubcommand(new BenchCommand());
    cl.addSubcommand(new SchemaCommand());
    cl.addSubcommand(new ModelsCommand());
  }
}
