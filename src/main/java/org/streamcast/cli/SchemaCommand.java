package org.streamcast.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import org.streamcast.config.Durations;
import org.streamcast.config.PipelineSpec;
import org.streamcast.config.SpecException;
import org.streamcast.config.SpecLoader;
import org.streamcast.topology.TopicSchemas;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code streamcast schema}: the JSON Schemas of a pipeline's topics, generated from its spec. */
@Command(name = "schema", mixinStandardHelpOptions = true,
    description = {"Prints the JSON Schema (draft 2020-12) of a topic the pipeline reads or writes.",
        "Events, series, forecasts, dead letters (their schema describes the reason headers: the value is the "
            + "original bytes).",
        "The shipped specs' schemas are kept in topologies/<name>.schemas/ and checked by a test."})
final class SchemaCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec command;

  @Option(names = "--topology", required = true, paramLabel = "FILE", description = "Pipeline spec (YAML).")
  Path topology;

  @Option(names = "--topic", paramLabel = "NAME",
      description = "The topic whose schema to print (default: the input topic).")
  String topic;

  @Option(names = "--out", paramLabel = "DIR",
      description = "Write every topic's schema to DIR/<topic>.schema.json instead of printing one.")
  Path out;

  @Override
  public Integer call() throws IOException {
    PipelineSpec spec = SpecLoader.load(topology);
    Map<String, ObjectNode> schemas = TopicSchemas.of(spec);
    PrintWriter stdout = command.commandLine().getOut();
    if (out != null) {
      if (topic != null) {
        throw new SpecException("--topic and --out: give one (--out writes every topic's schema)");
      }
      Files.createDirectories(out);
      for (Map.Entry<String, ObjectNode> e : schemas.entrySet()) {
        Path file = out.resolve(TopicSchemas.fileName(e.getKey()));
        Files.writeString(file, TopicSchemas.text(e.getValue()), StandardCharsets.UTF_8);
        stdout.println(file);
      }
    } else {
      String name = topic == null ? spec.input().topic() : topic;
      ObjectNode schema = schemas.get(name);
      if (schema == null) {
        throw new SpecException("--topic: pipeline " + spec.name() + " has no topic " + Durations.quote(name)
            + " (its topics: " + String.join(", ", schemas.keySet()) + ")");
      }
      stdout.print(TopicSchemas.text(schema));
    }
    stdout.flush();
    return 0;
  }
}
