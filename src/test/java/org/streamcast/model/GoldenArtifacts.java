package org.streamcast.model;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The artifact stored as {@code src/test/resources/artifacts/model-v1.scm} (format version 1), rebuilt in memory.
 * {@link #main} wrote that file once; it must never be regenerated: it proves old files stay readable.
 */
final class GoldenArtifacts {

  private GoldenArtifacts() {}

  static ModelArtifact v1() {
    FeatureSpec features = new FeatureSpec(FeatureSpec.Target.LEVEL, List.of("humidity"),
        List.of(FeatureSpec.Calendar.TIME_OF_DAY, FeatureSpec.Calendar.DAY_OF_WEEK), List.of(4), true, 3);
    RecurrentNetwork net = TestNetworks.random(CellType.GRU, features.recurrentInputs(), features.headInputs(),
        new int[] {6, 5}, 3, 2024);
    KeyScaling a = new KeyScaling(new Scaler(20.5, 3.25), List.of(new Scaler(60, 12)));
    KeyScaling b = new KeyScaling(new Scaler(-4, 0.5), List.of(new Scaler(40, 9)));
    KeyScaling global = new KeyScaling(new Scaler(8, 12), List.of(new Scaler(50, 11)));
    Provenance p = new Provenance("golden.csv", Instant.parse("2020-01-01T00:00:00Z"),
        Instant.parse("2020-02-01T00:00:00Z"), 2, 1488, Map.of("model.type", "GRU", "training.epochs", "3"), 99,
        Map.of("validation_mse", 0.125), Map.of("deeplearning4j-nn", "1.0.0-M2.1"),
        Instant.parse("2026-11-25T07:00:00Z"));
    return new ModelArtifact(net, features, Map.of("sensor-a", a, "sensor-b", b), global, p);
  }

  public static void main(String[] args) throws IOException {
    Path out = Path.of(args[0]);
    Files.createDirectories(out.getParent());
    v1().write(out);
  }
}
