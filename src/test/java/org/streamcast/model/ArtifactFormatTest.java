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
import java.util.Random;
import java.security.KeyPair;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.streamcast.testing.PoisonedArtifacts;

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
    Smoothing ets = new Smoothing(true, 4, 0.3, 0.05, 0.2, 0.9, new boolean[] {true, false});
    Smoothing linear = new Smoothing(true, 0, 0.4, 0.1, 0, 1, new boolean[] {true, false});
    ModelArtifact a = RecurrentForecasterTest.masked();
    a = a.withSources(a.sources().withOwn(Map.of("known", ets)));
    byte[] bytes = a.toBytes();
    assertEquals(6, ByteBuffer.wrap(bytes, 8, 4).getInt());
    ModelArtifact back = ModelArtifact.fromBytes(bytes);
    assertEquals(a.sources(), back.sources());
    assertArrayEquals(new boolean[] {false, true}, back.learnedHorizons("known"));
    assertArrayEquals(new boolean[] {true, true}, back.learnedHorizons("unlisted"));
    assertEquals(List.of("ets(A,Ad,A)", "learned"), back.sources().sources("known"));
    assertEquals(ets, back.sources().own("known"));
    ModelArtifact undamped = a.withSources(a.sources().withOwn(Map.of("known", linear)));
    KeyBaseline read = ModelArtifact.fromBytes(undamped.toBytes()).sources().own("known");
    assertEquals(linear, read);
    assertEquals("ets(A,A,N)", read.name(), "an undamped trend reads back undamped");
    assertEquals(null, back.sources().own("unlisted"));
    Smoothing onLogs = new Smoothing(true, 4, 0.3, 0.05, 0.2, 0.9, true, serves());
    assertEquals(onLogs, ModelArtifact.fromBytes(a.withSources(a.sources().withOwn(Map.of("known", onLogs))).toBytes())
        .sources().own("known"), "a smoothing of the logarithms reads back on the logarithms");
    for (Autoregression ar : List.of(new Autoregression(1.5, new double[] {0.7, -0.2, 0.05}, false, serves()),
        new Autoregression(0, new double[] {1.3, -0.3}, true, serves()))) {
      ModelArtifact withAr = a.withSources(a.sources().withOwn(Map.of("known", ar)));
      KeyBaseline arBack = ModelArtifact.fromBytes(withAr.toBytes()).sources().own("known");
      assertEquals(ar, arBack);
      assertEquals(List.of(ar.name(), "learned"), withAr.sources().sources("known"));
    }
    ModelArtifact old = ModelArtifact.fromBytes(goldenUnchecked());
    assertEquals(old.network().horizon(), old.learnedHorizons("sensor-a").length);
    for (boolean learned : old.learnedHorizons("sensor-a")) {
      assertTrue(learned, "a version 1 file serves everything learned");
    }
  }

  @Test
  void shouldReadAVersionFiveSmoothingWhenItHasNoForm() {
    Smoothing ets = new Smoothing(true, 4, 0.3, 0.05, 0.2, 0.9, serves());
    ModelArtifact a = RecurrentForecasterTest.masked();
    byte[] body = PoisonedArtifacts.body(a.withSources(a.sources().withOwn(Map.of("known", ets))).toBytes());
    String manifest = manifest(body);
    String v5 = manifest.replace("\"form\":\"ets\",", "").replace(",\"log\":false", "")
        .replace("\"formatVersion\":6", "\"formatVersion\":5");
    assertTrue(!v5.contains("\"form\"") && !v5.contains("\"log\""), v5);
    byte[] old = PoisonedArtifacts.seal(withVersion(withManifest(body, v5), 5), 0, null);
    assertEquals(ets, ModelArtifact.fromBytes(old).sources().own("known"), "a version 5 entry is a smoothing");
  }

  @Test
  void shouldRejectAsShapeWhenAnOwnBaselineIsNotOneItKnows() {
    Autoregression ar = new Autoregression(1.5, new double[] {0.7, -0.2}, false, serves());
    ModelArtifact a = RecurrentForecasterTest.masked();
    byte[] body = PoisonedArtifacts.body(a.withSources(a.sources().withOwn(Map.of("known", ar))).toBytes());
    String manifest = manifest(body);
    String unknown = manifest.replace("\"form\":\"ar\"", "\"form\":\"tbats\"");
    ArtifactException e = assertThrows(ArtifactException.class,
        () -> ArtifactFormat.read(PoisonedArtifacts.seal(withManifest(body, unknown), 0, null)));
    assertEquals(Rejection.SHAPE, e.reason());
    assertEquals("model artifact own baseline of key 'known' has form 'tbats', expected ets or ar", e.getMessage());
    StringBuilder many = new StringBuilder("[0.1");
    for (int i = 0; i < Autoregression.MAX_ORDER; i++) {
      many.append(",0.1");
    }
    String tooLong = manifest.replace("\"coefficients\":[0.7,-0.2]", "\"coefficients\":" + many + "]");
    assertTrue(!tooLong.equals(manifest), manifest);
    e = assertThrows(ArtifactException.class,
        () -> ArtifactFormat.read(PoisonedArtifacts.seal(withManifest(body, tooLong), 0, null)));
    assertEquals(Rejection.SHAPE, e.reason());
    assertTrue(e.getMessage().contains("coefficients is not an array of 1 to 28"), e.getMessage());
  }

  private static boolean[] serves() {
    return new boolean[] {true, false};
  }

  @Test
  void shouldRejectSourcesWhenMaskDoesNotMatchHorizon() {
    byte[] body = org.streamcast.testing.PoisonedArtifacts.body(RecurrentForecasterTest.masked().toBytes());
    String text = new String(body, java.nio.charset.StandardCharsets.ISO_8859_1).replace("\"known\":\"01\"",
        "\"known\":\"0x\"");
    byte[] sealed = org.streamcast.testing.PoisonedArtifacts.seal(
        text.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1), 1, null);
    ArtifactException e = assertThrows(ArtifactException.class, () -> ModelArtifact.fromBytes(sealed));
    assertEquals(Rejection.UNREADABLE, e.reason());
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
  void shouldRejectWithBothVersionsWhenFormatVersionIsNewer() throws IOException {
    byte[] bytes = golden();
    ByteBuffer.wrap(bytes).putInt(8, 99);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ModelArtifact.fromBytes(bytes));
    assertEquals("model artifact format version 99 is not supported: this streamcast reads format versions 1 to "
        + ArtifactFormat.CURRENT_VERSION + " (the artifact was written by a newer streamcast)", e.getMessage());
  }

  @Test
  void shouldRejectWhenTruncated() throws IOException {
    byte[] bytes = GoldenArtifacts.v1().toBytes();
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ModelArtifact.fromBytes(Arrays.copyOf(bytes, bytes.length - 10)));
    assertTrue(e.getMessage().contains("truncated"), e.getMessage());
  }

  private static Rejection reason(byte[] bytes) {
    return reason(bytes, null);
  }

  private static Rejection reason(byte[] bytes, java.security.PublicKey key) {
    return assertThrows(ArtifactException.class, () -> ArtifactFormat.open(bytes, key)).reason();
  }

  @Test
  void shouldRejectAsUnreadableWithoutAllocatingWhenC2RecordHasLengthTwoToThe31() {
    byte[] c2 = PoisonedArtifacts.c2Record();
    assertEquals(16, c2.length);
    ArtifactException e = assertThrows(ArtifactException.class, () -> ArtifactFormat.read(c2));
    assertEquals(Rejection.UNREADABLE, e.reason());
    assertTrue(e.getMessage().contains("manifest length -2147483648"), e.getMessage());
    byte[] positive = c2.clone();
    ByteBuffer.wrap(positive).putInt(12, Integer.MAX_VALUE);
    assertEquals(Rejection.UNREADABLE, reason(positive));
  }

  @Test
  void shouldRejectHugeLengthsAsUnreadableWhenTheTrailerIsValid() {
    byte[] sealedHugeManifest = PoisonedArtifacts.seal(PoisonedArtifacts.hugeManifestBody(Integer.MAX_VALUE), 0, null);
    ArtifactException e = assertThrows(ArtifactException.class, () -> ArtifactFormat.read(sealedHugeManifest));
    assertEquals(Rejection.UNREADABLE, e.reason());
    assertTrue(e.getMessage().contains("manifest length 2147483647 (0 bytes remain"), e.getMessage());
    byte[] body = PoisonedArtifacts.body(GoldenArtifacts.v1().toBytes());
    for (int count : new int[] {Integer.MAX_VALUE, Integer.MIN_VALUE, -1, 1 << 30}) {
      assertEquals(Rejection.UNREADABLE, reason(PoisonedArtifacts.seal(PoisonedArtifacts.withFloatCount(body, count),
          0, null)), "float count " + count);
    }
  }

  @Test
  void shouldRejectAsChecksumWhenAnyBodyByteFlips() {
    byte[] bytes = GoldenArtifacts.v1().toBytes();
    Random r = new Random(13);
    for (int i = 0; i < 200; i++) {
      byte[] flipped = bytes.clone();
      int at = r.nextInt(bytes.length - 12) + 12;
      flipped[at] ^= (byte) (1 << r.nextInt(8));
      assertEquals(Rejection.CHECKSUM, reason(flipped), "bit flip at " + at);
    }
  }

  @Test
  void shouldRejectAsNotFiniteWhenAWeightIsNaN() {
    ArtifactException e = assertThrows(ArtifactException.class,
        () -> ArtifactFormat.read(PoisonedArtifacts.withNaNBias(GoldenArtifacts.v1()).toBytes()));
    assertEquals(Rejection.NOT_FINITE, e.reason());
    assertEquals("model artifact tensor head.b[0] is NaN", e.getMessage());
  }

  @Test
  void shouldRejectAsNotFiniteWhenAScalerIsInfinite() {
    byte[] body = PoisonedArtifacts.body(GoldenArtifacts.v1().toBytes());
    String manifest = manifest(body);
    String bad = manifest.replace("\"sensor-a\":{\"target\":[20.5,3.25]", "\"sensor-a\":{\"target\":[20.5,\"Infinity\"]");
    assertTrue(!bad.equals(manifest), manifest);
    ArtifactException e = assertThrows(ArtifactException.class,
        () -> ArtifactFormat.read(PoisonedArtifacts.seal(withManifest(body, bad), 0, null)));
    assertEquals(Rejection.NOT_FINITE, e.reason());
    assertTrue(e.getMessage().contains("scaler of sensor-a"), e.getMessage());
  }

  @Test
  void shouldRejectAsShapeWhenATensorDoesNotMatchTheArchitecture() {
    byte[] body = PoisonedArtifacts.body(GoldenArtifacts.v1().toBytes());
    String manifest = manifest(body);
    // one unit more in the second layer: every tensor length is now wrong for the architecture
    String bad = manifest.replace("\"hiddenSizes\":[6,5]", "\"hiddenSizes\":[6,6]");
    assertTrue(!bad.equals(manifest), manifest);
    ArtifactException e = assertThrows(ArtifactException.class,
        () -> ArtifactFormat.read(PoisonedArtifacts.seal(withManifest(body, bad), 0, null)));
    assertEquals(Rejection.SHAPE, e.reason());
    assertEquals("model artifact tensor layer1.wx has 90 values, its architecture needs 108", e.getMessage());
    // sizes whose int product wraps around are caught in long arithmetic
    String wraps = manifest.replace("\"horizon\":3,\"stateSize\"", "\"horizon\":1048576,\"stateSize\"");
    assertEquals(Rejection.SHAPE, reason(PoisonedArtifacts.seal(withManifest(body, wraps), 0, null)));
  }

  @Test
  void shouldNeverThrowAnythingButArtifactExceptionNorAllocateBeyondTheInputWhenFuzzed() throws IOException {
    com.sun.management.ThreadMXBean mx =
        (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
    List<byte[]> seeds = List.of(golden(), GoldenArtifacts.v1().toBytes(),
        PoisonedArtifacts.body(GoldenArtifacts.v1().toBytes()));
    Random r = new Random(2026);
    int rejected = 0;
    for (int i = 0; i < 3000; i++) {
      byte[] seed = seeds.get(i % seeds.size());
      byte[] bytes = mutate(seed, r);
      if (r.nextBoolean() && bytes.length > 16) {
        bytes = PoisonedArtifacts.seal(withVersion(bytes, 4), 0, null); // a valid trailer: the body checks run
      }
      long before = mx.getCurrentThreadAllocatedBytes();
      try {
        ArtifactFormat.read(bytes);
      } catch (ArtifactException e) {
        rejected++;
      }
      long allocated = mx.getCurrentThreadAllocatedBytes() - before;
      assertTrue(allocated < 64L * bytes.length + (4 << 20), "case " + i + ": " + allocated
          + " bytes allocated for an input of " + bytes.length);
    }
    assertTrue(rejected > 2500, rejected + " of 3000 mutations rejected");
  }

  private static byte[] mutate(byte[] seed, Random r) {
    byte[] b = seed.clone();
    switch (r.nextInt(4)) {
      case 0 -> b = Arrays.copyOf(b, r.nextInt(b.length)); // truncation
      case 1 -> { // bit flips
        for (int k = 1 + r.nextInt(4); k > 0; k--) {
          int at = r.nextInt(b.length);
          b[at] ^= (byte) (1 << r.nextInt(8));
        }
      }
      case 2 -> { // a huge or negative length in one of the length fields
        int at = r.nextBoolean() ? 12 : 16 + ByteBuffer.wrap(b).getInt(12);
        if (at + 4 <= b.length) {
          ByteBuffer.wrap(b).putInt(at, r.nextBoolean() ? Integer.MAX_VALUE - r.nextInt(100) : -r.nextInt(1 << 30));
        }
      }
      default -> { // random bytes after the magic
        for (int k = 12; k < b.length; k += 1 + r.nextInt(64)) {
          b[k] = (byte) r.nextInt();
        }
      }
    }
    return b;
  }

  private static byte[] withVersion(byte[] bytes, int version) {
    byte[] out = bytes.clone();
    ByteBuffer.wrap(out).putInt(8, version);
    return out;
  }

  private static String manifest(byte[] body) {
    int n = ByteBuffer.wrap(body).getInt(12);
    return new String(body, 16, n, java.nio.charset.StandardCharsets.UTF_8);
  }

  private static byte[] withManifest(byte[] body, String manifest) {
    int n = ByteBuffer.wrap(body).getInt(12);
    byte[] m = manifest.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    ByteBuffer out = ByteBuffer.allocate(body.length - n + m.length);
    out.put(body, 0, 12).putInt(m.length).put(m).put(body, 16 + n, body.length - 16 - n);
    return out.array();
  }

  @Test
  void shouldAdoptOnlyTheMatchingSignatureWhenAPublicKeyIsConfigured() {
    KeyPair good = PoisonedArtifacts.keyPair();
    KeyPair other = PoisonedArtifacts.keyPair();
    ModelArtifact a = GoldenArtifacts.v1();
    byte[] signed = ArtifactFormat.write(a, 1_700_000_123L, good.getPrivate());
    SealedArtifact s = ArtifactFormat.open(signed, good.getPublic());
    assertTrue(s.signed());
    assertEquals(1_700_000_123L, s.version());
    assertSameModel(a, s.artifact());
    assertEquals(Rejection.SIGNATURE, reason(signed, other.getPublic()), "signed by another key");
    assertEquals(Rejection.SIGNATURE, reason(a.toBytes(), good.getPublic()), "unsigned");
    assertEquals(Rejection.SIGNATURE, reason(goldenUnchecked(), good.getPublic()), "version 1 carries no signature");
    // a signed artifact re-sealed with a higher version (to roll a model forward over a newer one) is refused
    byte[] replay = PoisonedArtifacts.seal(PoisonedArtifacts.body(signed), Long.MAX_VALUE / 2, null);
    assertEquals(Rejection.SIGNATURE, reason(replay, good.getPublic()));
    byte[] forged = signed.clone();
    int sigAt = forged.length - 32 - 4 - 64;
    forged[sigAt] ^= 1;
    byte[] resummed = PoisonedArtifacts.seal(PoisonedArtifacts.body(forged), 1_700_000_123L, null);
    assertEquals(Rejection.SIGNATURE, reason(resummed, good.getPublic()));
    // without a key, a signed artifact reads as any other
    assertEquals(1_700_000_123L, ArtifactFormat.open(signed, null).version());
  }

  @Test
  void shouldServeAsCreationTimeWhenNoServingVersionIsGiven() {
    ModelArtifact a = GoldenArtifacts.v1();
    assertEquals(a.provenance().createdAt().getEpochSecond(), ArtifactFormat.open(a.toBytes(), null).version());
    assertEquals(a.provenance().createdAt().getEpochSecond(), ArtifactFormat.open(goldenUnchecked(), null).version());
    assertTrue(!ArtifactFormat.open(a.toBytes(), null).signed());
  }

  @Test
  void shouldReadKeysWrittenByOpenssl(@TempDir Path dir) throws Exception {
    Path openssl = org.streamcast.testing.ExternalTools.require("openssl", "openssl");
    Path priv = dir.resolve("signing.pem");
    Path pub = dir.resolve("public.pem");
    run(openssl.toString(), "genpkey", "-algorithm", "ed25519", "-out", priv.toString());
    run(openssl.toString(), "pkey", "-in", priv.toString(), "-pubout", "-out", pub.toString());
    byte[] signed = ArtifactFormat.write(GoldenArtifacts.v1(), 0, ArtifactSigning.readPrivateKey(priv));
    assertTrue(ArtifactFormat.open(signed, ArtifactSigning.readPublicKey(pub)).signed());
    IOException e = assertThrows(IOException.class, () -> ArtifactSigning.readPublicKey(priv));
    assertTrue(e.getMessage().contains("PUBLIC KEY"), e.getMessage());
  }

  @Test
  void shouldRoundTripKeysWhenWrittenAsPem(@TempDir Path dir) throws Exception {
    KeyPair k = PoisonedArtifacts.keyPair();
    Path priv = Files.writeString(dir.resolve("k.pem"), ArtifactSigning.pem(k.getPrivate()));
    Path pub = Files.writeString(dir.resolve("k.pub.pem"), ArtifactSigning.pem(k.getPublic()));
    byte[] signed = ArtifactFormat.write(GoldenArtifacts.v1(), 0, ArtifactSigning.readPrivateKey(priv));
    assertTrue(ArtifactFormat.open(signed, ArtifactSigning.readPublicKey(pub)).signed());
  }

  private static void run(String... command) throws Exception {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    assertEquals(0, p.waitFor(), out);
  }
}
