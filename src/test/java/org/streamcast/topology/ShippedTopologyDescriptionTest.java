package org.streamcast.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.streamcast.config.PipelineSpec;
import org.streamcast.config.SpecLoader;
import org.streamcast.domain.PipelineObserver;

/**
 * The describe() output of every shipped spec is committed next to it as {@code <name>.topology.txt}: a renamed
 * store, processor or internal topic changes persisted state (changelog and repartition topic names) and must be a
 * deliberate, reviewed change. Regenerate with {@code ./streamcast describe --topology topologies/X.yaml >
 * topologies/X.topology.txt}.
 */
class ShippedTopologyDescriptionTest {
  static List<Path> shippedSpecs() throws IOException {
    try (Stream<Path> files = Files.list(Path.of("topologies"))) {
      return files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
    }
  }

  @ParameterizedTest
  @MethodSource("shippedSpecs")
  void shouldMatchCommittedDescriptionWhenSpecIsShipped(Path yaml) throws IOException {
    PipelineSpec spec = SpecLoader.load(yaml);
    Path expectedFile = yaml.resolveSibling(yaml.getFileName().toString().replace(".yaml", ".topology.txt"));
    assertTrue(Files.exists(expectedFile), "missing " + expectedFile + ": regenerate it with streamcast describe");
    String described = PipelineTopology.build(spec, PipelineObserver.NONE).describe().toString();
    assertEquals(Files.readString(expectedFile, StandardCharsets.UTF_8), described,
        expectedFile + " is stale: review the change, then regenerate it with streamcast describe");
    assertFalse(described.contains("KSTREAM-"), "every processor has an explicit name");
    assertFalse(described.contains("KTABLE-"), "every processor has an explicit name");
  }

  @ParameterizedTest
  @MethodSource("shippedSpecs")
  void shouldNameEveryStoreWhenSpecIsShipped(Path yaml) {
    String described = PipelineTopology.build(SpecLoader.load(yaml), PipelineObserver.NONE).describe().toString();
    for (String store : List.of(PipelineTopology.WINDOWS_STORE, PipelineTopology.CLOCK_STORE,
        PipelineTopology.KEY_STATE_STORE, PipelineTopology.KEY_COUNTS_STORE, PipelineTopology.KEY_SEEN_STORE)) {
      assertTrue(described.contains(store), store);
    }
  }
}
