package org.streamcast.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.HashMap;
import java.util.Map;

/**
 * The artifact's per-key smoothing baselines ({@link Smoothing}), under {@code sources.smoothing} since artifact
 * format version 5: per key {@code {trend, period, alpha, beta, gamma, phi, horizons}} with {@code horizons} a
 * "1"/"0" string per horizon. {@link Smoothing}'s constructor checks every value read.
 */
final class SmoothingFormat {

  private SmoothingFormat() {}

  static void write(ObjectNode sources, Map<String, Smoothing> perKey) {
    if (perKey.isEmpty()) {
      return;
    }
    ObjectNode all = sources.putObject("smoothing");
    perKey.forEach((key, s) -> {
      ObjectNode n = all.putObject(key);
      n.put("trend", s.trend()).put("period", s.period()).put("alpha", s.alpha()).put("beta", s.beta())
          .put("gamma", s.gamma()).put("phi", s.phi());
      StringBuilder mask = new StringBuilder();
      for (boolean b : s.horizons()) {
        mask.append(b ? '1' : '0');
      }
      n.put("horizons", mask.toString());
    });
  }

  /** The smoothing baselines under {@code sources} (none when absent). */
  static Map<String, Smoothing> read(JsonNode sources, int horizon) {
    JsonNode all = sources.get("smoothing");
    Map<String, Smoothing> out = new HashMap<>();
    if (all == null || all.isNull()) {
      return out;
    }
    all.properties().forEach(e -> {
      JsonNode n = e.getValue();
      String mask = text(n, "horizons", e.getKey());
      if (mask.length() != horizon || !mask.matches("[01]*")) {
        throw new ArtifactException(Rejection.SHAPE, "model artifact smoothing of key '" + e.getKey()
            + "' has horizons '" + (mask.length() > 64 ? mask.substring(0, 64) + "…" : mask) + "', expected "
            + horizon + " of 0 and 1");
      }
      boolean[] serves = new boolean[horizon];
      for (int h = 0; h < horizon; h++) {
        serves[h] = mask.charAt(h) == '1';
      }
      out.put(e.getKey(), new Smoothing(bool(n, "trend", e.getKey()), (int) number(n, "period", e.getKey()),
          number(n, "alpha", e.getKey()), number(n, "beta", e.getKey()), number(n, "gamma", e.getKey()),
          number(n, "phi", e.getKey()), serves));
    });
    return out;
  }

  private static JsonNode value(JsonNode n, String field, String key) {
    JsonNode v = n == null ? null : n.get(field);
    if (v == null || v.isNull()) {
      throw new ArtifactException(Rejection.UNREADABLE, "model artifact smoothing of key '" + key + "' lacks "
          + field);
    }
    return v;
  }

  private static double number(JsonNode n, String field, String key) {
    JsonNode v = value(n, field, key);
    if (!v.isNumber()) {
      throw new ArtifactException(Rejection.SHAPE, "model artifact smoothing of key '" + key + "': " + field
          + " is not a number");
    }
    return v.asDouble();
  }

  private static boolean bool(JsonNode n, String field, String key) {
    JsonNode v = value(n, field, key);
    if (!v.isBoolean()) {
      throw new ArtifactException(Rejection.SHAPE, "model artifact smoothing of key '" + key + "': " + field
          + " is not true or false");
    }
    return v.asBoolean();
  }

  private static String text(JsonNode n, String field, String key) {
    return value(n, field, key).asText();
  }
}
