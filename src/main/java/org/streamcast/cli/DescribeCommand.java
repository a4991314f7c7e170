package org.streamcast.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.streamcast.config.PipelineSpec;
import org.streamcast.config.SpecLoader;
import org.streamcast.domain.PipelineObserver;
import org.streamcast.topology.PipelineTopology;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code streamcast describe}: prints a pipeline's {@code Topology#describe()}. */
@Command(name = "describe", mixinStandardHelpOptions = true,
    description = {"Prints the Kafka Streams topology of a pipeline spec (processors, stores, internal topics).",
        "The shipped specs' descriptions are kept in topologies/<name>.topology.txt and checked by a test."})
final class DescribeCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec command;

  @Option(names = "--topology", required = true, paramLabel = "FILE", description = "Pipeline spec (YAML).")
  Path topology;

  @Override
  public Integer call() {
    PipelineSpec spec = SpecLoader.load(topology);
    command.commandLine().getOut().print(PipelineTopology.build(spec, PipelineObserver.NONE).describe());
    command.commandLine().getOut().flush();
    return 0;
  }
}
