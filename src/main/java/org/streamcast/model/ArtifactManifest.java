package org.streamcast.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The manifest of a model artifact ({@link ArtifactFormat}: the container, its checksum and signature): the JSON that
 * describes the architecture, features, scalers, provenance, output sources and the weight tensors in the order they
 * follow, and its reading, which checks every dimension and tensor size against the architecture and every weight
 * and scaler for finiteness before anything is built.
 */
final class ArtifactManifest {
  /** The largest dimension (inputs, hidden units, horizon) a manifest may give. */
  static final int MAX_DIMENSION = 1 << 20;
  private static final ObjectMapper JSON = new ObjectMapper();

  private ArtifactManifest() {}

  /** The network's weight tensors by name, in the order the artifact stores them. */
  static Map<String, float[]> tensors(RecurrentNetwork net) {
    Map<String, float[]> tensors = new LinkedHashMap<>();
    List<LayerWeights> layers = net.layers();
    for (int l = 0; l < layers.size(); l++) {
      tensors.put("layer" + l + ".wx", layers.get(l).wx());
      tensors.put("layer" + l + ".wh", layers.get(l).wh());
      tensors.put("layer" + l + ".b", layers.get(l).b());
    }
    tensors.put("head.w", net.headWeights());
    tensors.put("head.b", net.headBiases());
    return tensors;
  }

  /** The manifest of {@code a} at format {@code version}, listing {@code tensors} (names and lengths). */
  static ObjectNode of(ModelArtifact a, int version, Map<String, float[]> tensors) {
    RecurrentNetwork net = a.network();
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

    ArrayNode list = root.putArray("tensors");
    for (Map.Entry<String, float[]> t : tensors.entrySet()) {
      list.addObject().put("name", t.getKey()).put("length", t.getValue().length);
    }
    return root;
  }

  /** The artifact the manifest {@code root} describes, over {@code weights} (every tensor concatenated). */
  static ModelArtifact read(JsonNode root, float[] weights) {
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
        throw new ArtifactException(Rejection.SHAPE, "model artifact lists "
            + (want == null ? "an unknown" : "a second") + " tensor " + name);
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
    KeyBaselineFormat.write(n, s.own());
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
        KeyBaselineFormat.read(n, horizon));
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
