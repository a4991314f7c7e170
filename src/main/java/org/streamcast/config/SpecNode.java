package org.streamcast.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * One mapping of a YAML spec with its field path, giving typed values or one-line errors that name the file, the field
 * and the bad value. A section lists its known fields up front; any other field is an error that suggests the closest
 * known name. An absent field or an explicit {@code null} takes the default.
 */
final class SpecNode {
  private static final int MAX_SHOWN = 60;

  private final String source;
  private final String path;
  private final ObjectNode node;

  private SpecNode(String source, String path, ObjectNode node, List<String> known) {
    this.source = source;
    this.path = path;
    this.node = node;
    Iterator<String> names = node.fieldNames();
    while (names.hasNext()) {
      String name = names.next();
      if (!known.contains(name)) {
        String hint = FieldNames.closest(name, known)
            .map(k -> "did you mean " + k + "?")
            .orElse("known fields: " + String.join(", ", known));
        throw SpecException.of(source, field(name), "unknown field (" + hint + ")");
      }
    }
  }

  /** The top-level mapping. */
  static SpecNode root(String source, ObjectNode node, List<String> known) {
    return new SpecNode(source, "", node, known);
  }

  /** A nested mapping; absent or {@code null} gives an empty section (all defaults). */
  SpecNode section(String name, List<String> known) {
    JsonNode child = node.get(name);
    if (child == null || child.isNull()) {
      return new SpecNode(source, field(name), node.objectNode(), known);
    }
    if (!child.isObject()) {
      throw error(name, show(child) + " is not a mapping (expected fields: " + String.join(", ", known) + ")");
    }
    return new SpecNode(source, field(name), (ObjectNode) child, known);
  }

  String source() {
    return source;
  }

  /** The dotted path of a field of this section, e.g. {@code model.hiddenSize}. */
  String field(String name) {
    return path.isEmpty() ? name : path + "." + name;
  }

  /** Whether the field is present with a non-null value. */
  boolean has(String name) {
    JsonNode v = node.get(name);
    return v != null && !v.isNull();
  }

  /** Whether the field is present, even as an explicit {@code null}. */
  boolean present(String name) {
    return node.has(name);
  }

  /** The field's raw node, or {@code null} when absent. */
  JsonNode raw(String name) {
    return node.get(name);
  }

  SpecException error(String name, String reason) {
    return SpecException.of(source, field(name), reason);
  }

  String text(String name, String fallback) {
    return has(name) ? textAt(field(name), node.get(name)) : fallback;
  }

  int integer(String name, int fallback, int min, int max) {
    return has(name) ? integerAt(field(name), node.get(name), min, max) : fallback;
  }

  long longInteger(String name, long fallback) {
    if (!has(name)) {
      return fallback;
    }
    BigDecimal d = decimal(field(name), node.get(name));
    try {
      return d.longValueExact();
    } catch (ArithmeticException e) {
      throw error(name, show(node.get(name)) + " is not a whole number in the range of a 64-bit integer");
    }
  }

  double number(String name, double fallback, Range range) {
    return has(name) ? numberAt(field(name), node.get(name), range) : fallback;
  }

  boolean bool(String name, boolean fallback) {
    if (!has(name)) {
      return fallback;
    }
    JsonNode v = node.get(name);
    if (!v.isBoolean()) {
      throw error(name, show(v) + " is not true or false");
    }
    return v.booleanValue();
  }

  Duration duration(String name, Duration fallback) {
    return has(name) ? durationAt(field(name), node.get(name)) : fallback;
  }

  <E extends Enum<E>> E choice(String name, Class<E> type, E fallback) {
    return has(name) ? choiceAt(field(name), node.get(name), type) : fallback;
  }

  /**
   * A list field, each element converted by {@code element} (which gets the element's path and node); a single
   * scalar counts as a one-element list. Absent or {@code null}: {@code fallback}.
   */
  <T> List<T> list(String name, List<T> fallback, ElementReader<T> element) {
    if (!has(name)) {
      return fallback;
    }
    JsonNode v = node.get(name);
    if (v.isObject()) {
      throw error(name, "a mapping is not a list");
    }
    List<T> out = new ArrayList<>();
    if (v.isArray()) {
      for (int i = 0; i < v.size(); i++) {
        out.add(element.read(field(name) + "[" + i + "]", v.get(i)));
      }
    } else {
      out.add(element.read(field(name), v));
    }
    return out;
  }

  /** Reads one list element at a path. */
  @FunctionalInterface
  interface ElementReader<T> {
    T read(String fieldPath, JsonNode value);
  }

  // --- conversions by field path, usable for list elements too ---

  String textAt(String fieldPath, JsonNode v) {
    if (v.isTextual()) {
      return v.textValue();
    }
    if (v.isNumber()) {
      return v.asText();
    }
    if (v.isBoolean()) {
      throw SpecException.of(source, fieldPath, v.asText() + " is not text (quote it if you meant the word)");
    }
    throw SpecException.of(source, fieldPath, show(v) + " is not text");
  }

  int integerAt(String fieldPath, JsonNode v, int min, int max) {
    BigDecimal d = decimal(fieldPath, v);
    BigDecimal whole;
    try {
      whole = new BigDecimal(d.toBigIntegerExact());
    } catch (ArithmeticException e) {
      throw SpecException.of(source, fieldPath, show(v) + " is not a whole number");
    }
    if (whole.compareTo(BigDecimal.valueOf(min)) < 0 || whole.compareTo(BigDecimal.valueOf(max)) > 0) {
      String bounds = max == Integer.MAX_VALUE ? "must be at least " + min : "must be " + min + " to " + max;
      throw SpecException.of(source, fieldPath, show(v) + " is out of range (" + bounds + ")");
    }
    return whole.intValueExact();
  }

  double numberAt(String fieldPath, JsonNode v, Range range) {
    double x = decimal(fieldPath, v).doubleValue();
    if (!range.contains(x)) {
      throw SpecException.of(source, fieldPath, show(v) + " is out of range (" + range + ")");
    }
    return x;
  }

  Duration durationAt(String fieldPath, JsonNode v) {
    if (v.isTextual()) {
      return Durations.parse(source, fieldPath, v.textValue());
    }
    if (v.isIntegralNumber() && v.asLong() == 0) {
      return Duration.ZERO;
    }
    throw SpecException.of(source, fieldPath, show(v) + " is not a duration " + Durations.HINT);
  }

  <E extends Enum<E>> E choiceAt(String fieldPath, JsonNode v, Class<E> type) {
    E[] values = type.getEnumConstants();
    if (v.isTextual()) {
      String wanted = v.textValue().strip().replace('-', '_').toUpperCase(Locale.ROOT);
      for (E e : values) {
        if (e.name().equals(wanted)) {
          return e;
        }
      }
    }
    List<String> allowed = new ArrayList<>();
    for (E e : values) {
      allowed.add(e.name().toLowerCase(Locale.ROOT));
    }
    throw SpecException.of(source, fieldPath, show(v) + " is not one of " + String.join(", ", allowed));
  }

  private BigDecimal decimal(String fieldPath, JsonNode v) {
    if (v.isFloatingPointNumber() && !Double.isFinite(v.doubleValue()) && !v.isBigDecimal()) {
      throw SpecException.of(source, fieldPath, show(v) + " is not a finite number");
    }
    if (v.isNumber()) {
      return v.decimalValue();
    }
    if (v.isTextual() && v.textValue().strip().matches("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?")) {
      return new BigDecimal(v.textValue().strip());
    }
    throw SpecException.of(source, fieldPath, show(v) + " is not a number");
  }

  /** A value as it appears in messages: text quoted, numbers and booleans as written, containers by kind. */
  static String show(JsonNode v) {
    if (v == null || v.isNull() || v.isMissingNode()) {
      return "null";
    }
    if (v.isTextual()) {
      String t = v.textValue();
      return Durations.quote(t.length() > MAX_SHOWN ? t.substring(0, MAX_SHOWN) + "..." : t);
    }
    if (v.isObject()) {
      return "a mapping";
    }
    if (v.isArray()) {
      return "a list";
    }
    return v.asText();
  }

  /**
   * An interval of allowed numbers with its description for messages.
   *
   * @param low           lower bound
   * @param lowInclusive  whether the lower bound is allowed
   * @param high          upper bound
   * @param highInclusive whether the upper bound is allowed
   */
  record Range(double low, boolean lowInclusive, double high, boolean highInclusive) {
    static final Range POSITIVE = new Range(0, false, Double.POSITIVE_INFINITY, false);
    static final Range NON_NEGATIVE = new Range(0, true, Double.POSITIVE_INFINITY, false);

    static Range of(double low, boolean lowInclusive, double high, boolean highInclusive) {
      return new Range(low, lowInclusive, high, highInclusive);
    }

    boolean contains(double x) {
      boolean aboveLow = lowInclusive ? x >= low : x > low;
      boolean belowHigh = highInclusive ? x <= high : x < high;
      return Double.isFinite(x) && aboveLow && belowHigh;
    }

    @Override
    public String toString() {
      Function<Double, String> num = d -> d == Math.rint(d) && Math.abs(d) < 1e15 ? String.valueOf(d.longValue())
          : String.valueOf(d);
      String lowText = "must be " + (lowInclusive ? ">= " : "> ") + num.apply(low);
      if (Double.isInfinite(high)) {
        return lowText;
      }
      return lowText + " and " + (highInclusive ? "<= " : "< ") + num.apply(high);
    }
  }
}
