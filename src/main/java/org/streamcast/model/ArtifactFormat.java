package org.streamcast.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The model artifact file format. Layout (big-endian):
 * <pre>
 *   8 bytes   magic "SCMODEL\0"
 *   int32     format version (this class writes {@value #CURRENT_VERSION})
 *   int32     manifest length n (at most {@value #MAX_MANIFEST_BYTES}), then n bytes of UTF-8 JSON: architecture,
 *             features, scalers, provenance and the list of weight tensors (name, length) in the order they follow
 *   int32     float count m, then m float32 values: the tensors concatenated
 *   -- the body ends here; version 4 adds the trailer: --
 *   int64     serving version chosen by the publisher (0: none, the artifact serves as its creation time in epoch
 *             seconds)
 *   s bytes   Ed25519 signature of everything before it (body and serving version), s = 0 (unsigned) or 64
 *   int32     s
 *   32 bytes  SHA-256 of everything before it
 * </pre>
 * Tensors: {@code layer<l>.wx}, {@code layer<l>.wh}, {@code layer<l>.b} for each layer (layout on
 * {@link LayerWeights}), then {@code head.w}, {@code head.b} (layout on {@link RecurrentNetwork}).
 *
 * <p>Reading verifies completely before anything is built, and allocates nothing a length read from the bytes asks
 * for before checking it against what remains: magic and version, then (version 4) the checksum and, with a public
 * key, the signature; then the lengths, the manifest, every tensor's size against the architecture, and every weight
 * and scaler finite. A fault throws {@link ArtifactException} with its {@link Rejection} and one line.
 *
 * <p>A reader handles every version up to its own. Versions:
 * <ul>
 *   <li>1: the first.</li>
 *   <li>2: adds the provenance's {@code evaluation} (the retrainer's judgement), which reads as empty from a version 1
 *       file.</li>
 *   <li>3: adds {@code features.persistenceInputs} ({@link FeatureSpec#persistenceInputs()}), which reads as
 *       {@code false} from older files.</li>
 *   <li>4: adds the trailer (serving version, optional signature, checksum) and {@code sources}
 *       ({@link OutputSources}: the baseline per horizon, the pooled and per-key choice between learned output and
 *       baseline), written only when a baseline is known. Older files have no checksum, serve as their creation time,
 *       count as unsigned and read as every output learned.</li>
 *   <li>5: adds {@code sources.smoothing}, the per-key exponential smoothing baselines ({@link SmoothingFormat});
 *       older files have none.</li>
 * </ul>
 */
public final class ArtifactFormat {

  /** The version {@link #write} produces (and the newest {@link #read} understands). */
  public static final int CURRENT_VERSION = 5;
  /** The largest manifest a reader accepts (the scalers of a few hundred thousand keys). */
  public static final int MAX_MANIFEST_BYTES = 48 << 20;
  /** Largest size of any one dimension (units, inputs, horizon, lag); far above the spec limits. */
  static final int MAX_DIMENSION = 1 << 20;

  private static final byte[] MAGIC = {'S', 'C', 'M', 'O', 'D', 'E', 'L', 0};
  private static final int HEADER = MAGIC.length + 4;
  private static final int CHECKSUM_BYTES = 32;
  private static final int SIGNATURE_BYTES = 64;
  /** Serving version and signature length. */
  private static final int TRAILER_FIXED = 8 + 4 + CHECKSUM_BYTES;
  private static final ObjectMapper JSON = new ObjectMapper();

  private ArtifactFormat() {}

  /** Serializes an artifact in the current format, unsigned, without a serving version. */
  public static byte[] write(ModelArtifact a) {
    return write(a, 0, null);
  }

  /**
   * Serializes an artifact in the current format.
   *
   * @param servingVersion the version it is to serve under (positive), or 0 for its creation time
   * @param signingKey     an Ed25519 private key to sign it with, or {@code null} for an unsigned artifact
   */
  public static byte[] write(ModelArtifact a, long servingVersion, PrivateKey signingKey) {
    if (servingVersion < 0) {
      throw new IllegalArgumentException("serving version must not be negative: " + servingVersion);
    }
    byte[] body = body(a);
    try {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream(body.length + TRAILER_FIXED + SIGNATURE_BYTES);
      DataOutputStream out = new DataOutputStream(bytes);
      out.write(body);
      out.writeLong(servingVersion);
      out.flush();
      byte[] signature = signingKey == null ? new byte[0] : ArtifactSigning.sign(signingKey, bytes.toByteArray());
      out.write(signature);
      out.writeInt(signature.length);
      out.flush();
      out.write(sha256(bytes.toByteArray(), bytes.size()));
      out.flush();
      return bytes.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static byte[] body(ModelArtifact a) {
    RecurrentNetwork net = a.network();
    int version = CURRENT_VERSION;
    ObjectNode root = JSON.createObjectNode();
    root.put("format", "streamcast-model");
    root.put("formatVersion", version);
    ObjectNode arch = root.putObject("architecture");
    arch.put("cell", net.type().name());
    arch.put("recurrentInputs", net.recurrentInputs());
    arch.put("headInputs", net.headInputs());
    arch.put("horizon", net.horizon());
    arch.put("stateSize", net.stateSize());
    ArrayNode hidden = arch.putArray("hiddenSizes");
    for (int h : net.hiddenSizes()) {
      hidden.add(h);
    }
    root.set("features", features(a.features()));
    ObjectNode scalers = root.putObject("scalers");
    scalers.set("global", scaling(a.globalScaling()));
    ObjectNode keys = scalers.putObject("keys");
    new java.util.TreeMap<>(a.keyScalers()).forEach((k, v) -> keys.set(k, scaling(v)));
    root.set("provenance", provenance(a.provenance()));
    if (a.sources().hasBaseline()) {
      root.set("sources", sources(a.sources()));
    }

    Map<String, float[]> tensors = new LinkedHashMap<>();
    List<LayerWeights> layers = net.layers();
    for (int l = 0; l < layers.size(); l++) {
      tensors.put("layer" + l + ".wx", layers.get(l).wx());
      tensors.put("layer" + l + ".wh", layers.get(l).wh());
      tensors.put("layer" + l + ".b", layers.get(l).b());
    }
    tensors.put("head.w", net.headWeights());
    tensors.put("head.b", net.headBiases());
    ArrayNode list = root.putArray("tensors");
    int total = 0;
    for (Map.Entry<String, float[]> t : tensors.entrySet()) {
      list.addObject().put("name", t.getKey()).put("length", t.getValue().length);
      total += t.getValue().length;
    }
    try {
      byte[] manifest = JSON.writeValueAsBytes(root);
      ByteArrayOutputStream bytes = new ByteArrayOutputStream(manifest.length + 4 * total + 32);
      DataOutputStream out = new DataOutputStream(bytes);
      out.write(MAGIC);
      out.writeInt(version);
      out.writeInt(manifest.length);
      out.write(manifest);
      out.writeInt(total);
      for (float[] t : tensors.values()) {
        for (float v : t) {
          out.writeFloat(v);
        }
      }
      out.flush();
      return bytes.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Reads and verifies an artifact of any known format version, without a signature check. */
  public static ModelArtifact read(byte[] bytes) {
    return open(bytes, null).artifact();
  }

  /**
   * Reads and verifies an artifact of any known format version.
   *
   * @param publicKey when not {@code null}, only an artifact signed by the matching private key is accepted
   * @throws ArtifactException naming what is wrong, with the class of fault
   */
  public static SealedArtifact open(byte[] bytes, PublicKey publicKey) {
    if (bytes == null || bytes.length < HEADER || !Arrays.equals(bytes, 0, MAGIC.length, MAGIC, 0, MAGIC.length)) {
      throw new ArtifactException(Rejection.UNREADABLE, "not a streamcast model artifact (bad magic)");
    }
    ByteBuffer in = ByteBuffer.wrap(bytes);
    int version = in.getInt(MAGIC.length);
    if (version < 1 || version > CURRENT_VERSION) {
      throw new ArtifactException(Rejection.UNREADABLE, "model artifact format version " + version
          + " is not supported: this streamcast reads format versions 1 to " + CURRENT_VERSION
          + (version > CURRENT_VERSION ? " (the artifact was written by a newer streamcast)" : ""));
    }
    int bodyEnd = bytes.length;
    long servingVersion = 0;
    boolean signed = false;
    if (version >= 4) {
      if (bytes.length < HEADER + 8 + TRAILER_FIXED) {
        throw new ArtifactException(Rejection.UNREADABLE, "model artifact is truncated: " + bytes.length + " bytes");
      }
      int sumAt = bytes.length - CHECKSUM_BYTES;
      if (!MessageDigest.isEqual(sha256(bytes, sumAt), Arrays.copyOfRange(bytes, sumAt, bytes.length))) {
        throw new ArtifactException(Rejection.CHECKSUM,
            "model artifact checksum does not match its content (corrupted or truncated)");
      }
      int sigLength = in.getInt(sumAt - 4);
      if (sigLength != 0 && sigLength != SIGNATURE_BYTES
          || sumAt - 4 - sigLength - 8 < HEADER + 8) {
        throw new ArtifactException(Rejection.UNREADABLE, "model artifact trailer is malformed (signature length "
            + sigLength + ")");
      }
      int versionAt = sumAt - 4 - sigLength - 8;
      servingVersion = in.getLong(versionAt);
      if (servingVersion < 0) {
        throw new ArtifactException(Rejection.UNREADABLE, "model artifact has a negative serving version "
            + servingVersion);
      }
      signed = sigLength > 0;
      if (publicKey != null) {
        if (!signed) {
          throw new ArtifactException(Rejection.SIGNATURE, "model artifact is unsigned and a public key is "
              + "configured");
        }
        if (!ArtifactSigning.verify(publicKey, bytes, versionAt + 8,
            Arrays.copyOfRange(bytes, versionAt + 8, versionAt + 8 + sigLength))) {
          throw new ArtifactException(Rejection.SIGNATURE, "model artifact signature does not match the "
              + "configured public key");
        }
      }
      bodyEnd = versionAt;
    } else if (publicKey != null) {
      throw new ArtifactException(Rejection.SIGNATURE, "model artifact format version " + version
          + " carries no signature and a public key is configured");
    }
    ModelArtifact artifact = body(bytes, in, bodyEnd);
    long served = servingVersion > 0 ? servingVersion : artifact.provenance().createdAt().getEpochSecond();
    return new SealedArtifact(artifact, served, signed);
  }

  /** The body in {@code [HEADER, end)}: lengths checked against what remains before anything is allocated. */
  private static ModelArtifact body(byte[] bytes, ByteBuffer in, int end) {
    int pos = HEADER;
    if (end - pos < 4) {
      throw new ArtifactException(Rejection.UNREADABLE, "model artifact is truncated before its manifest");
    }
    int manifestLength = in.getInt(pos);
    pos += 4;
    long room = end - pos - 4L;
    if (manifestLength < 2 || manifestLength > MAX_MANIFEST_BYTES || manifestLength > room) {
      throw new ArtifactException(Rejection.UNREADABLE, "model artifact is truncated or malformed: manifest length "
          + manifestLength + " (" + Math.max(0, room) + " bytes remain, at most " + MAX_MANIFEST_BYTES + " allowed)");
    }
    JsonNode root;
    try {
      root = JSON.readTree(bytes, pos, manifestLength);
    } catch (IOException e) {
      throw new ArtifactException(Rejection.UNREADABLE, "model artifact manifest is not valid JSON: "
          + oneLine(e.getMessage()));
    }
    pos += manifestLength;
    int count = in.getInt(pos);
    pos += 4;
    if (count < 0 || 4L * count != end - pos) {
      throw new ArtifactException(Rejection.UNREADABLE, "model artifact is truncated or malformed: " + count
          + " weights announced, " + (end - pos) + " bytes remain");
    }
    float[] weights = new float[count];
    ByteBuffer floats = ByteBuffer.wrap(bytes, pos, end - pos).slice();
    floats.asFloatBuffer().get(weights);
    try {
      return read(root, weights);
    } catch (ArtifactException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new ArtifactException(Rejection.UNREADABLE, "model artifact manifest is malformed: "
          + oneLine(String.valueOf(e.getMessage())));
    }
  }

  private static String oneLine(String s) {
    String line = s.lines().findFirst().orElse("");
    return line.length() > 200 ? line.substring(0, 200) + "..." : line;
  }

  private static byte[] sha256(byte[] bytes, int length) {
    try {
      MessageDigest d = MessageDigest.getInstance("SHA-256");
      d.update(bytes, 0, length);
      return d.digest();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK lacks SHA-256", e);
    }
  }

  private static ModelArtifact read(JsonNode root, float[] weights) {
    JsonNode arch = field(root, "architecture");
    CellType cell = CellType.valueOf(field(arch, "cell").asText());
    int recurrentInputs = dimension(arch, "recurrentInputs", 1);
    int headInputs = dimension(arch, "headInputs", 0);
    int horizon = dimension(arch, "horizon", 1);
    List<Integer> hiddenSizes = new ArrayList<>();
    for (JsonNode h : array(arch, "hiddenSizes")) {
      hiddenSizes.add(dimension(h, "architecture.hiddenSizes", 1));
    }
    if (hiddenSizes.isEmpty() || hiddenSizes.size() > 64) {
      throw new ArtifactException(Rejection.SHAPE, "model artifact has " + hiddenSizes.size() + " layers");
    }
    // every tensor's size as the architecture gives it, in long so that no product can wrap
    Map<String, Long> expected = new LinkedHashMap<>();
    long inputs = recurrentInputs;
    for (int l = 0; l < hiddenSizes.size(); l++) {
      long gh = (long) cell.gates() * hiddenSizes.get(l);
      expected.put("layer" + l + ".wx", inputs * gh);
      expected.put("layer" + l + ".wh", hiddenSizes.get(l) * gh);
      expected.put("layer" + l + ".b", gh);
      inputs = hiddenSizes.get(l);
    }
    expected.put("head.w", (inputs + headInputs) * horizon);
    expected.put("head.b", (long) horizon);
    Map<String, float[]> tensors = new HashMap<>();
    long off = 0;
    for (JsonNode t : array(root, "tensors")) {
      String name = field(t, "name").asText();
      JsonNode lengthNode = field(t, "length");
      long len = lengthNode.canConvertToLong() ? lengthNode.asLong() : -1;
      Long want = expected.get(name);
      if (want == null || tensors.containsKey(name)) {
        throw new ArtifactException(Rejection.SHAPE, "model artifact lists " + (want == null ? "an unknown" : "a second")
            + " tensor " + name);
      }
      if (len != want) {
        throw new ArtifactException(Rejection.SHAPE, "model artifact tensor " + name + " has " + len
            + " values, its architecture needs " + want);
      }
      if (off + len > weights.length) {
        throw new ArtifactException(Rejection.SHAPE, "model artifact lists more weights than its " + weights.length);
      }
      tensors.put(name, Arrays.copyOfRange(weights, (int) off, (int) (off + len)));
      off += len;
    }
    if (off != weights.length) {
      throw new ArtifactException(Rejection.SHAPE, "model artifact has " + weights.length + " weights, manifest lists "
          + off);
    }
    for (String name : expected.keySet()) {
      float[] t = tensor(tensors, name);
      for (int i = 0; i < t.length; i++) {
        if (!Float.isFinite(t[i])) {
          throw new ArtifactException(Rejection.NOT_FINITE, "model artifact tensor " + name + "[" + i + "] is "
              + t[i]);
        }
      }
    }
    FeatureSpec features = features(field(root, "features"));
    if (features.recurrentInputs() != recurrentInputs || features.headInputs() != headInputs
        || features.horizon() != horizon) {
      throw new ArtifactException(Rejection.SHAPE, "model artifact network (" + recurrentInputs + " inputs, "
          + headInputs + " head inputs, horizon " + horizon + ") does not match its features");
    }
    List<LayerWeights> layers = new ArrayList<>();
    int in = recurrentInputs;
    for (int l = 0; l < hiddenSizes.size(); l++) {
      layers.add(new LayerWeights(in, hiddenSizes.get(l), tensor(tensors, "layer" + l + ".wx"),
          tensor(tensors, "layer" + l + ".wh"), tensor(tensors, "layer" + l + ".b")));
      in = hiddenSizes.get(l);
    }
    RecurrentNetwork net = new RecurrentNetwork(cell, recurrentInputs, headInputs, horizon, layers,
        tensor(tensors, "head.w"), tensor(tensors, "head.b"));
    JsonNode scalers = field(root, "scalers");
    Map<String, KeyScaling> keys = new HashMap<>();
    field(scalers, "keys").properties().forEach(e -> keys.put(e.getKey(), scaling(e.getValue(), e.getKey())));
    JsonNode sources = root.get("sources");
    return new ModelArtifact(net, features, keys, scaling(field(scalers, "global"), "global"),
        provenance(field(root, "provenance")), sources == null ? null : sources(sources, horizon, headInputs));
  }

  private static JsonNode field(JsonNode n, String name) {
    JsonNode v = n == null ? null : n.get(name);
    if (v == null || v.isNull()) {
      throw new ArtifactException(Rejection.UNREADABLE, "model artifact manifest lacks " + name);
    }
    return v;
  }

  private static JsonNode array(JsonNode n, String name) {
    JsonNode v = field(n, name);
    if (!v.isArray()) {
      throw new ArtifactException(Rejection.UNREADABLE, "model artifact manifest: " + name + " is not a list");
    }
    return v;
  }

  /** An integer in {@code [min, MAX_DIMENSION]}: {@code n.name}, or {@code n} itself when it is a number. */
  private static int dimension(JsonNode n, String name, int min) {
    JsonNode v = n.isNumber() ? n : field(n, name);
    if (!v.canConvertToInt() || !v.isIntegralNumber() || v.asInt() < min || v.asInt() > MAX_DIMENSION) {
      throw new ArtifactException(Rejection.SHAPE, "model artifact " + name + " is " + v + " (allowed " + min + ".."
          + MAX_DIMENSION + ")");
    }
    return v.asInt();
  }

  private static ObjectNode features(FeatureSpec f) {
    ObjectNode n = JSON.createObjectNode();
    n.put("target", f.target().name());
    f.extraFields().forEach(n.putArray("extraFields")::add);
    ArrayNode cal = n.putArray("calendar");
    f.calendar().forEach(c -> cal.add(c.name()));
    f.seasonalLags().forEach(n.putArray("seasonalLags")::add);
    n.put("imputedFlag", f.imputedFlag());
    n.put("horizon", f.horizon());
    if (f.persistenceInputs()) {
      n.put("persistenceInputs", true);
    }
    return n;
  }

  private static FeatureSpec features(JsonNode n) {
    List<String> extras = new ArrayList<>();
    array(n, "extraFields").forEach(e -> extras.add(e.asText()));
    List<FeatureSpec.Calendar> cal = new ArrayList<>();
    array(n, "calendar").forEach(c -> cal.add(FeatureSpec.Calendar.valueOf(c.asText())));
    List<Integer> lags = new ArrayList<>();
    array(n, "seasonalLags").forEach(m -> lags.add(dimension(m, "features.seasonalLags", 1)));
    if (extras.size() > 1024 || lags.size() > 1024) {
      throw new ArtifactException(Rejection.SHAPE, "model artifact lists " + extras.size() + " extra fields and "
          + lags.size() + " seasonal lags");
    }
    return new FeatureSpec(FeatureSpec.Target.valueOf(field(n, "target").asText()), extras, cal, lags,
        field(n, "imputedFlag").asBoolean(), dimension(n, "horizon", 1),
        n.has("persistenceInputs") && n.get("persistenceInputs").asBoolean());
  }

  private static float[] tensor(Map<String, float[]> tensors, String name) {
    float[] t = tensors.get(name);
    if (t == null) {
      throw new ArtifactException(Rejection.SHAPE, "model artifact lacks tensor " + name);
    }
    return t;
  }

  /** Sources: per horizon the baseline {@code {name, inputs}}; the pooled mask and each key's as "1"/"0" strings. */
  private static ObjectNode sources(OutputSources s) {
    ObjectNode n = JSON.createObjectNode();
    ArrayNode baseline = n.putArray("baseline");
    for (int h = 0; h < s.horizon(); h++) {
      ObjectNode b = baseline.addObject().put("name", s.baselineNames().get(h));
      ArrayNode in = b.putArray("inputs");
      for (int i : s.baselineInputs().get(h)) {
        in.add(i);
      }
    }
    n.put("pooled", mask(s.pooled()));
    ObjectNode keys = n.putObject("keys");
    s.keys().forEach((k, v) -> keys.put(k, mask(v)));
    SmoothingFormat.write(n, s.smoothing());
    return n;
  }

  /** Reads {@code sources}; every baseline input must be one of the network's {@code headInputs}. */
  private static OutputSources sources(JsonNode n, int horizon, int headInputs) {
    List<String> names = new ArrayList<>();
    List<int[]> inputs = new ArrayList<>();
    JsonNode baseline = array(n, "baseline");
    if (baseline.size() != horizon) {
      throw new ArtifactException(Rejection.SHAPE, "model artifact sources list " + baseline.size()
          + " baselines for horizon " + horizon);
    }
    for (JsonNode b : baseline) {
      names.add(field(b, "name").asText());
      JsonNode in = array(b, "inputs");
      if (in.size() > headInputs) {
        throw new ArtifactException(Rejection.SHAPE, "model artifact baseline sums " + in.size() + " of "
            + headInputs + " head inputs");
      }
      int[] idx = new int[in.size()];
      for (int i = 0; i < idx.length; i++) {
        idx[i] = in.get(i).asInt(-1);
        if (idx[i] < 0 || idx[i] >= headInputs) {
          throw new ArtifactException(Rejection.SHAPE, "model artifact baseline input " + in.get(i)
              + " is not one of the " + headInputs + " head inputs");
        }
      }
      inputs.add(idx);
    }
    Map<String, boolean[]> keys = new HashMap<>();
    field(n, "keys").properties().forEach(e -> keys.put(e.getKey(), mask(e.getValue().asText(), horizon)));
    return new OutputSources(names, inputs, mask(field(n, "pooled").asText(), horizon), keys,
        SmoothingFormat.read(n, horizon));
  }

  private static String mask(boolean[] learned) {
    StringBuilder out = new StringBuilder(learned.length);
    for (boolean b : learned) {
      out.append(b ? '1' : '0');
    }
    return out.toString();
  }

  private static boolean[] mask(String text, int horizon) {
    if (text.length() != horizon || !text.matches("[01]*")) {
      throw new IllegalArgumentException("model artifact source mask '" + (text.length() > 64
          ? text.substring(0, 64) + "..." : text) + "' is not " + horizon + " digits 0/1");
    }
    boolean[] out = new boolean[horizon];
    for (int h = 0; h < horizon; h++) {
      out[h] = text.charAt(h) == '1';
    }
    return out;
  }

  private static ObjectNode scaling(KeyScaling s) {
    ObjectNode n = JSON.createObjectNode();
    n.putArray("target").add(s.target().center()).add(s.target().scale());
    ArrayNode extras = n.putArray("extras");
    for (Scaler e : s.extras()) {
      extras.addArray().add(e.center()).add(e.scale());
    }
    return n;
  }

  private static KeyScaling scaling(JsonNode n, String key) {
    List<Scaler> extras = new ArrayList<>();
    for (JsonNode e : array(n, "extras")) {
      extras.add(scaler(e, key));
    }
    return new KeyScaling(scaler(field(n, "target"), key), extras);
  }

  private static Scaler scaler(JsonNode pair, String key) {
    if (!pair.isArray() || pair.size() != 2) {
      throw new ArtifactException(Rejection.UNREADABLE, "model artifact scaler of " + key + " is not a pair");
    }
    double center = pair.get(0).asDouble(Double.NaN);
    double scale = pair.get(1).asDouble(Double.NaN);
    if (!Double.isFinite(center) || !Double.isFinite(scale) || !(scale > 0)) {
      throw new ArtifactException(Rejection.NOT_FINITE, "model artifact scaler of " + key + " is (" + center + ", "
          + scale + "): center and a positive scale must be finite");
    }
    return new Scaler(center, scale);
  }

  private static ObjectNode provenance(Provenance p) {
    ObjectNode n = JSON.createObjectNode();
    n.put("dataSource", p.dataSource());
    n.put("from", p.from().toString());
    n.put("to", p.to().toString());
    n.put("keys", p.keys());
    n.put("points", p.points());
    ObjectNode hp = n.putObject("hyperparameters");
    new java.util.TreeMap<>(p.hyperparameters()).forEach(hp::put);
    n.put("seed", p.seed());
    ObjectNode vm = n.putObject("validationMetrics");
    new java.util.TreeMap<>(p.validationMetrics()).forEach(vm::put);
    ObjectNode lib = n.putObject("libraryVersions");
    new java.util.TreeMap<>(p.libraryVersions()).forEach(lib::put);
    n.put("createdAt", p.createdAt().toString());
    ObjectNode ev = n.putObject("evaluation");
    new java.util.TreeMap<>(p.evaluation()).forEach(ev::put);
    return n;
  }

  private static Provenance provenance(JsonNode n) {
    Map<String, String> hp = new HashMap<>();
    n.get("hyperparameters").properties().forEach(e -> hp.put(e.getKey(), e.getValue().asText()));
    Map<String, Double> vm = new HashMap<>();
    n.get("validationMetrics").properties().forEach(e -> vm.put(e.getKey(), e.getValue().asDouble()));
    Map<String, String> lib = new HashMap<>();
    n.get("libraryVersions").properties().forEach(e -> lib.put(e.getKey(), e.getValue().asText()));
    Map<String, String> evaluation = new HashMap<>();
    if (n.has("evaluation")) { // format version 2 and later
      n.get("evaluation").properties().forEach(e -> evaluation.put(e.getKey(), e.getValue().asText()));
    }
    return new Provenance(n.get("dataSource").asText(), Instant.parse(n.get("from").asText()),
        Instant.parse(n.get("to").asText()), n.get("keys").asInt(), n.get("points").asLong(), hp,
        n.get("seed").asLong(), vm, lib, Instant.parse(n.get("createdAt").asText()), evaluation);
  }
}
