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
import java.nio.charset.StandardCharsets;
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
 *   int32     manifest length n, then n bytes of UTF-8 JSON: architecture, features, scalers, provenance and the
 *             list of weight tensors (name, length) in the order they follow
 *   int32     float count m, then m float32 values: the tensors concatenated
 * </pre>
 * Tensors: {@code layer<l>.wx}, {@code layer<l>.wh}, {@code layer<l>.b} for each layer (layout on
 * {@link LayerWeights}), then {@code head.w}, {@code head.b} (layout on {@link RecurrentNetwork}).
 * A reader handles every version up to its own. Versions:
 * <ul>
 *   <li>1: the first.</li>
 *   <li>2: adds the provenance's {@code evaluation} (the retrainer's judgement), which reads as empty from a version 1
 *       file.</li>
 *   <li>3: adds {@code features.persistenceInputs} ({@link FeatureSpec#persistenceInputs()}), which reads as
 *       {@code false} from older files.</li>
 *   <li>4: adds {@code sources} ({@link OutputSources}: the baseline per horizon, the pooled and per-key choice between
 *       learned output and baseline), written only when a baseline is known; older files read as every output
 *       learned.</li>
 * </ul>
 */
public final class ArtifactFormat {

  /** The version {@link #write} produces (and the newest {@link #read} understands). */
  public static final int CURRENT_VERSION = 4;

  private static final byte[] MAGIC = {'S', 'C', 'M', 'O', 'D', 'E', 'L', 0};
  private static final ObjectMapper JSON = new ObjectMapper();

  private ArtifactFormat() {}

  /** Serializes an artifact in the current format. */
  public static byte[] write(ModelArtifact a) {
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

  /** Reads an artifact of any known format version; {@link IllegalArgumentException} names what is wrong. */
  public static ModelArtifact read(byte[] bytes) {
    ByteBuffer in = ByteBuffer.wrap(bytes);
    if (bytes.length < MAGIC.length + 8 || !Arrays.equals(Arrays.copyOf(bytes, MAGIC.length), MAGIC)) {
      throw new IllegalArgumentException("not a streamcast model artifact (bad magic)");
    }
    in.position(MAGIC.length);
    int version = in.getInt();
    if (version < 1 || version > CURRENT_VERSION) {
      throw new IllegalArgumentException("model artifact format version " + version
          + " is not supported (this streamcast reads versions 1.." + CURRENT_VERSION + ")");
    }
    try {
      byte[] manifest = new byte[in.getInt()];
      in.get(manifest);
      JsonNode root = JSON.readTree(manifest);
      float[] weights = new float[in.getInt()];
      in.asFloatBuffer().get(weights);
      return read(root, weights);
    } catch (IOException e) {
      throw new IllegalArgumentException("model artifact manifest is not valid JSON: " + e.getMessage(), e);
    } catch (java.nio.BufferUnderflowException | NullPointerException | NegativeArraySizeException e) {
      throw new IllegalArgumentException("model artifact is truncated or malformed", e);
    }
  }

  private static ModelArtifact read(JsonNode root, float[] weights) {
    JsonNode arch = root.get("architecture");
    CellType cell = CellType.valueOf(arch.get("cell").asText());
    Map<String, float[]> tensors = new HashMap<>();
    int off = 0;
    for (JsonNode t : root.get("tensors")) {
      int len = t.get("length").asInt();
      tensors.put(t.get("name").asText(), Arrays.copyOfRange(weights, off, off + len));
      off += len;
    }
    if (off != weights.length) {
      throw new IllegalArgumentException("model artifact has " + weights.length + " weights, manifest lists " + off);
    }
    List<LayerWeights> layers = new ArrayList<>();
    int inputs = arch.get("recurrentInputs").asInt();
    int l = 0;
    for (JsonNode h : arch.get("hiddenSizes")) {
      layers.add(new LayerWeights(inputs, h.asInt(), tensor(tensors, "layer" + l + ".wx"),
          tensor(tensors, "layer" + l + ".wh"), tensor(tensors, "layer" + l + ".b")));
      inputs = h.asInt();
      l++;
    }
    RecurrentNetwork net = new RecurrentNetwork(cell, arch.get("recurrentInputs").asInt(),
        arch.get("headInputs").asInt(), arch.get("horizon").asInt(), layers, tensor(tensors, "head.w"),
        tensor(tensors, "head.b"));
    JsonNode scalers = root.get("scalers");
    Map<String, KeyScaling> keys = new HashMap<>();
    scalers.get("keys").properties().forEach(e -> keys.put(e.getKey(), scaling(e.getValue())));
    JsonNode sources = root.get("sources");
    int horizon = arch.get("horizon").asInt();
    return new ModelArtifact(net, features(root.get("features")), keys, scaling(scalers.get("global")),
        provenance(root.get("provenance")), sources == null ? null : sources(sources, horizon));
  }

  private static float[] tensor(Map<String, float[]> tensors, String name) {
    float[] t = tensors.get(name);
    if (t == null) {
      throw new IllegalArgumentException("model artifact lacks tensor " + name);
    }
    return t;
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
    n.get("extraFields").forEach(e -> extras.add(e.asText()));
    List<FeatureSpec.Calendar> cal = new ArrayList<>();
    n.get("calendar").forEach(c -> cal.add(FeatureSpec.Calendar.valueOf(c.asText())));
    List<Integer> lags = new ArrayList<>();
    n.get("seasonalLags").forEach(m -> lags.add(m.asInt()));
    return new FeatureSpec(FeatureSpec.Target.valueOf(n.get("target").asText()), extras, cal, lags,
        n.get("imputedFlag").asBoolean(), n.get("horizon").asInt(),
        n.has("persistenceInputs") && n.get("persistenceInputs").asBoolean());
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
    return n;
  }

  private static OutputSources sources(JsonNode n, int horizon) {
    List<String> names = new ArrayList<>();
    List<int[]> inputs = new ArrayList<>();
    JsonNode baseline = n.get("baseline");
    if (baseline.size() != horizon) {
      throw new IllegalArgumentException("model artifact sources list " + baseline.size() + " baselines for horizon "
          + horizon);
    }
    for (JsonNode b : baseline) {
      names.add(b.get("name").asText());
      JsonNode in = b.get("inputs");
      int[] idx = new int[in.size()];
      for (int i = 0; i < idx.length; i++) {
        idx[i] = in.get(i).asInt();
      }
      inputs.add(idx);
    }
    Map<String, boolean[]> keys = new HashMap<>();
    n.get("keys").properties().forEach(e -> keys.put(e.getKey(), mask(e.getValue().asText(), horizon)));
    return new OutputSources(names, inputs, mask(n.get("pooled").asText(), horizon), keys);
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

  private static KeyScaling scaling(JsonNode n) {
    List<Scaler> extras = new ArrayList<>();
    n.get("extras").forEach(e -> extras.add(new Scaler(e.get(0).asDouble(), e.get(1).asDouble())));
    JsonNode t = n.get("target");
    return new KeyScaling(new Scaler(t.get(0).asDouble(), t.get(1).asDouble()), extras);
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
