package org.streamcast.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ArtifactFormatTest {

  static byte[] golden() throws IOException {
    try (InputStream in = ArtifactFormatTest.class.getResourceAsStream("/artifacts/model-v1.scm")) {
      return in.readAllBytes();
    }
  }

  static void assertSameModel(ModelArtifact expected, ModelArtifact actual) {
    assertEquals(expected.features(), actual.features());
    assertEquals(expected.keyScalers(), actual.keyScalers());
    assertEquals(expected.globalScaling(), actual.globalScaling());
    assertEquals(expected.provenance(), actual.provenance());
    RecurrentNetwork a = expected.network();
    RecurrentNetwork b = actual.network();
    assertEquals(a.type(), b.type());
    assertArrayEquals(a.hiddenSizes(), b.hiddenSizes());
    for (int l = 0; l < a.layers().size(); l++) {
      assertArrayEquals(a.layers().get(l).wx(), b.layers().get(l).wx());
      assertArrayEquals(a.layers().get(l).wh(), b.layers().get(l).wh());
      assertArrayEquals(a.layers().get(l).b(), b.layers().get(l).b());
    }
    assertArrayEquals(a.headWeights(), b.headWeights());
    assertArrayEquals(a.headBiases(), b.headBiases());
  }

  @Test
  void shouldReadGoldenVersion1FileWhenLoadedByCurrentCode() throws IOException {
    byte[] bytes = golden();
    assertEquals(1, ByteBuffer.wrap(bytes, 8, 4).getInt());
    ModelArtifact loaded = ModelArtifact.fromBytes(bytes);
    assertSameModel(GoldenArtifacts.v1(), loaded);
    ForecastSession s = new ForecastSession(loaded, "sensor-a");
    double[] f = null;
    for (int t = 0; t < 50; t++) {
      f = s.observe(Instant.parse("2020-03-01T00:00:00Z").plusSeconds(1800L * t), 20 + Math.sin(t * 0.3),
          new double[] {60 + t % 7}, t % 10 == 0);
    }
    ForecastSession fresh = new ForecastSession(GoldenArtifacts.v1(), "sensor-a");
    double[] g = null;
    for (int t = 0; t < 50; t++) {
      g = fresh.observe(Instant.parse("2020-03-01T00:00:00Z").plusSeconds(1800L * t), 20 + Math.sin(t * 0.3),
          new double[] {60 + t % 7}, t % 10 == 0);
    }
    assertArrayEquals(g, f);
  }

  @Test
  void shouldRoundTripWhenWrittenToFileAndRead(@TempDir Path dir) throws IOException {
    ModelArtifact a = GoldenArtifacts.v1();
    Path file = dir.resolve("m.scm");
    a.write(file);
    assertSameModel(a, ModelArtifact.read(file));
    assertEquals(ArtifactFormat.CURRENT_VERSION, ByteBuffer.wrap(Files.readAllBytes(file), 8, 4).getInt());
  }

  @Test
  void shouldKeepRetrainerJudgementWhenRoundTripped() {
    ModelArtifact a = GoldenArtifacts.v1();
    ModelArtifact judged = new ModelArtifact(a.network(), a.features(), a.keyScalers(), a.globalScaling(),
        a.provenance().withEvaluation(Map.of("decision", "promoted", "candidate.mase.h1", "0.31")));
    ModelArtifact back = ModelArtifact.fromBytes(judged.toBytes());
    assertEquals(Map.of("decision", "promoted", "candidate.mase.h1", "0.31"), back.provenance().evaluation());
    assertEquals(Map.of(), ModelArtifact.fromBytes(goldenUnchecked()).provenance().evaluation(),
        "a version 1 file has no judgement");
  }

  private static byte[] goldenUnchecked() {
    try {
      return golden();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Test
  void shouldRoundTripPersistenceInputsWhenWrittenInCurrentVersion() {
    ModelArtifact v1 = GoldenArtifacts.v1();
    FeatureSpec f = v1.features();
    FeatureSpec withPersistence = new FeatureSpec(f.target(), f.extraFields(), f.calendar(), f.seasonalLags(),
        f.imputedFlag(), f.horizon(), true);
    RecurrentNetwork net = TestNetworks.random(CellType.LSTM, withPersistence.recurrentInputs(),
        withPersistence.headInputs(), new int[] {4}, withPersistence.horizon(), 5);
    ModelArtifact a = new ModelArtifact(net, withPersistence, v1.keyScalers(), v1.globalScaling(), v1.provenance());
    byte[] bytes = a.toBytes();
    assertEquals(ArtifactFormat.CURRENT_VERSION, ByteBuffer.wrap(bytes, 8, 4).getInt());
    ModelArtifact back = ModelArtifact.fromBytes(bytes);
    assertSameModel(a, back);
    assertTrue(back.features().persistenceInputs());
    assertEquals(false, ModelArtifact.fromBytes(v1.toBytes()).features().persistenceInputs());
  }

  @Test
  void shouldKeepPerKeySourcesWhenRoundTripped() {
    ModelArtifact a = RecurrentForecasterTest.masked();
    byte[] bytes = a.toBytes();
    assertEquals(4, ByteBuffer.wrap(bytes, 8, 4).getInt());
    ModelArtifact back = ModelArtifact.fromBytes(bytes);
    assertEquals(a.sources(), back.sources());
    assertArrayEquals(new boolean[] {false, true}, back.learnedHorizons("known"));
    assertArrayEquals(new boolean[] {true, true}, back.learnedHorizons("unlisted"));
    assertEquals(List.of("snaive(4)", "learned"), back.sources().sources("known"));
    ModelArtifact old = ModelArtifact.fromBytes(goldenUnchecked());
    assertEquals(old.network().horizon(), old.learnedHorizons("sensor-a").length);
    for (boolean learned : old.learnedHorizons("sensor-a")) {
      assertTrue(learned, "a version 1 file serves everything learned");
    }
  }

  @Test
  void shouldRejectSourcesWhenMaskDoesNotMatchHorizon() {
    byte[] bytes = RecurrentForecasterTest.masked().toBytes();
    String text = new String(bytes, java.nio.charset.StandardCharsets.ISO_8859_1).replace("\"known\":\"01\"",
        "\"known\":\"0x\"");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ModelArtifact.fromBytes(text.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1)));
    assertTrue(e.getMessage().contains("source mask '0x'"), e.getMessage());
  }

  @Test
  void shouldStayCompactWhenModelIsRealSized() {
    RecurrentNetwork net = TestNetworks.random(CellType.LSTM, 6, 96, new int[] {64}, 48, 1);
    FeatureSpec f = new FeatureSpec(FeatureSpec.Target.LEVEL, List.of(),
        List.of(FeatureSpec.Calendar.TIME_OF_DAY, FeatureSpec.Calendar.DAY_OF_WEEK), List.of(48, 336), true, 48);
    ModelArtifact a = new ModelArtifact(net, f, Map.of(), GoldenArtifacts.v1().globalScaling(),
        GoldenArtifacts.v1().provenance());
    int params = 6 * 256 + 64 * 256 + 256 + (64 + 96) * 48 + 48;
    int size = a.toBytes().length;
    assertTrue(size > 4 * params && size < 4 * params + 4096, size + " bytes for " + params + " weights");
  }

  @Test
  void shouldRejectWithOneLineWhenFileIsNotAnArtifact(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("x.scm");
    Files.writeString(file, "key,timestamp,value\n");
    IOException e = assertThrows(IOException.class, () -> ModelArtifact.read(file));
    assertEquals(file + ": not a streamcast model artifact (bad magic)", e.getMessage());
  }

  @Test
  void shouldRejectWhenFormatVersionIsNewer() throws IOException {
    byte[] bytes = golden();
    ByteBuffer.wrap(bytes).putInt(8, 99);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ModelArtifact.fromBytes(bytes));
    assertTrue(e.getMessage().contains("version 99 is not supported"), e.getMessage());
  }

  @Test
  void shouldRejectWhenTruncated() throws IOException {
    byte[] bytes = golden();
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ModelArtifact.fromBytes(Arrays.copyOf(bytes, bytes.length - 10)));
    assertTrue(e.getMessage().contains("truncated"), e.getMessage());
  }
}
