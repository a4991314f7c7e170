package org.streamcast.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Predicate;

/**
 * The artifact's per-key own baselines ({@link KeyBaseline}), under {@code sources.smoothing} (the name they had when
 * smoothing was the only kind): per key {@code horizons}, a "1"/"0" string per horizon, and {@code form}:
 * {@code "ets"} with {@code {trend, period, alpha, beta, gamma, phi, log}} ({@link Smoothing}, since artifact format
 * version 5, where {@code form} and {@code log} are absent) or {@code "ar"} with
 * {@code {intercept, coefficients, integrated}} ({@link Autoregression}, since version 6). The constructors check
 * every value read; the coefficients are bounded by {@link Autoregression#MAX_ORDER} before they are read.
 */
final class KeyBaselineFormat {

  private static final String ETS = "ets";
  private static final String AR = "ar";

  private KeyBaselineFormat() {}

  static void write(ObjectNode sources, Map<String, KeyBaseline> perKey) {
    if (perKey.isEmpty()) {
      return;
    }
    ObjectNode all = sources.putObject("smoothing");
    perKey.forEach((key, b) -> {
      ObjectNode n = all.putObject(key);
      if (b instanceof Smoothing s) {
        n.put("form", ETS).put("trend", s.trend()).put("period", s.period()).put("alpha", s.alpha())
            .put("beta", s.beta()).put("gamma", s.gamma()).put("phi", s.phi()).put("log", s.log());
      } else if (b instanceof Autoregression a) {
        n.put("form", AR).put("intercept", a.intercept()).put("integrated", a.integrated());
        ArrayNode c = n.putArray("coefficients");
        for (double v : a.coefficients()) {
          c.add(v);
        }
      }
      StringBuilder mask = new StringBuilder();
      for (boolean s : b.horizons()) {
        mask.append(s ? '1' : '0');
      }
      n.put("horizons", mask.toString());
    });
  }

  /** The own baselines under {@code sources} (none when absent). */
  static Map<String, KeyBaseline> read(JsonNode sources, int horizon) {
    JsonNode all = sources.get("smoothing");
    Map<String, KeyBaseline> out = new HashMap<>();
    if (all == null || all.isNull()) {
      return out;
    }
    all.properties().forEach(e -> {
      String key = e.getKey();
      JsonNode n = e.getValue();
      String mask = text(n, "horizons", key);
      if (mask.length() != horizon || !mask.matches("[01]*")) {
        throw new ArtifactException(Rejection.SHAPE, "model artifact own baseline of key '" + key + "' has horizons '"
            + (mask.length() > 64 ? mask.substring(0, 64) + "…" : mask) + "', expected " + horizon + " of 0 and 1");
      }
      boolean[] serves = new boolean[horizon];
      for (int h = 0; h < horizon; h++) {
        serves[h] = mask.charAt(h) == '1';
      }
      String form = n.has("form") ? text(n, "form", key) : ETS;
      out.put(key, switch (form) {
        case ETS -> new Smoothing(bool(n, "trend", key), (int) number(n, "period", key), number(n, "alpha", key),
            number(n, "beta", key), number(n, "gamma", key), number(n, "phi", key), n.has("log") && bool(n, "log", key),
            serves);
        case AR -> new Autoregression(number(n, "intercept", key), coefficients(n, key), bool(n, "integrated", key),
            serves);
        default -> throw new ArtifactException(Rejection.SHAPE, "model artifact own baseline of key '" + key
            + "' has form '" + (form.length() > 32 ? form.substring(0, 32) + "…" : form) + "', expected ets or ar");
      });
    });
    return out;
  }

  private static double[] coefficients(JsonNode n, String key) {
    JsonNode c = value(n, "coefficients", key);
    if (!c.isArray() || c.size() < 1 || c.size() > Autoregression.MAX_ORDER) {
      throw new ArtifactException(Rejection.SHAPE, "model artifact own baseline of key '" + key
          + "': coefficients is not an array of 1 to " + Autoregression.MAX_ORDER + " numbers");
    }
    double[] out = new double[c.size()];
    for (int i = 0; i < out.length; i++) {
      if (!c.get(i).isNumber()) {
        throw new ArtifactException(Rejection.SHAPE, "model artifact own baseline of key '" + key
            + "': coefficient " + i + " is not a number");
      }
      out[i] = c.get(i).asDouble();
    }
    return out;
  }

  private static JsonNode value(JsonNode n, String field, String key) {
    JsonNode v = n == null ? null : n.get(field);
    if (v == null || v.isNull()) {
      throw new ArtifactException(Rejection.UNREADABLE, "model artifact own baseline of key '" + key + "' lacks "
          + field);
    }
    return v;
  }

  private static double number(JsonNode n, String field, String key) {
    return typed(n, field, key, JsonNode::isNumber, "a number").asDouble();
  }

  private static boolean bool(JsonNode n, String field, String key) {
    return typed(n, field, key, JsonNode::isBoolean, "true or false").asBoolean();
  }

  /** The field's value, refused as SHAPE when it is not {@code expected}. */
  private static JsonNode typed(JsonNode n, String field, String key, Predicate<JsonNode> is, String expected) {
    JsonNode v = value(n, field, key);
    if (!is.test(v)) {
      throw new ArtifactException(Rejection.SHAPE, "model artifact own baseline of key '" + key + "': " + field
          + " is not " + expected);
    }
    return v;
  }

  private static String text(JsonNode n, String field, String key) {
    return value(n, field, key).asText();
  }
}
