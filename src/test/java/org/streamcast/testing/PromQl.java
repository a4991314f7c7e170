package org.streamcast.testing;

import java.util.Collections;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * Just enough of a PromQL tokenizer to say which metrics and which labels an expression uses. It skips strings,
 * numbers and durations, range and subquery brackets, function names, aggregation operators and keywords; it reads
 * label names from matchers ({@code {a="x"}}) and from {@code by}/{@code without}/{@code on}/{@code ignoring}/
 * {@code group_left}/{@code group_right} lists, and takes a metric name from a {@code __name__="..."} matcher.
 * It does not validate syntax: {@code promtool check rules} does that (see the ops tests).
 */
public final class PromQl {

  /** The metric and label names one expression uses. */
  public record Names(Set<String> metrics, Set<String> labels) {
    public Names {
      metrics = Collections.unmodifiableSet(new TreeSet<>(metrics));
      labels = Collections.unmodifiableSet(new TreeSet<>(labels));
    }
  }

  private static final Set<String> AGGREGATIONS = Set.of("sum", "min", "max", "avg", "group", "stddev", "stdvar",
      "count", "count_values", "bottomk", "topk", "quantile", "limitk", "limit_ratio");
  private static final Set<String> LABEL_LIST_KEYWORDS =
      Set.of("by", "without", "on", "ignoring", "group_left", "group_right");
  private static final Set<String> KEYWORDS =
      Set.of("and", "or", "unless", "offset", "bool", "atan2", "inf", "nan", "start", "end");

  private final String s;
  private int i;
  private final Set<String> metrics = new TreeSet<>();
  private final Set<String> labels = new TreeSet<>();

  private PromQl(String s) {
    this.s = s;
  }

  /** The metric names (as written, e.g. {@code x_bucket}) and label names used by {@code expr}. */
  public static Names names(String expr) {
    PromQl p = new PromQl(expr);
    p.scan();
    return new Names(p.metrics, p.labels);
  }

  private void scan() {
    while (i < s.length()) {
      char c = s.charAt(i);
      if (Character.isWhitespace(c)) {
        i++;
      } else if (c == '#') {
        skipComment();
      } else if (c == '"' || c == '\'' || c == '`') {
        readString();
      } else if (c == '{') {
        readMatchers();
      } else if (c == '[') {
        skipPast(']');
      } else if (Character.isDigit(c) || (c == '.' && i + 1 < s.length() && Character.isDigit(s.charAt(i + 1)))) {
        skipNumber();
      } else if (isIdentStart(c)) {
        identifier(readIdentifier());
      } else {
        i++;
      }
    }
  }

  private void identifier(String ident) {
    String lower = ident.toLowerCase(Locale.ROOT);
    if (LABEL_LIST_KEYWORDS.contains(lower)) {
      skipSpace();
      if (i < s.length() && s.charAt(i) == '(') {
        readLabelList();
      }
    } else if (!KEYWORDS.contains(lower) && !AGGREGATIONS.contains(lower) && !followedByParen()) {
      metrics.add(ident);
    }
  }

  private void readLabelList() {
    i++; // '('
    while (i < s.length() && s.charAt(i) != ')') {
      char c = s.charAt(i);
      if (isIdentStart(c)) {
        labels.add(readIdentifier());
      } else {
        i++;
      }
    }
    i++; // ')'
  }

  /** Reads {@code {name op "value", ...}}: label names, and a metric name from {@code __name__="..."}. */
  private void readMatchers() {
    i++; // '{'
    String lastLabel = null;
    String op = "";
    while (i < s.length() && s.charAt(i) != '}') {
      char c = s.charAt(i);
      if (isIdentStart(c)) {
        lastLabel = readIdentifier();
        labels.add(lastLabel);
        op = "";
      } else if (c == '"' || c == '\'' || c == '`') {
        String value = readString();
        if ("__name__".equals(lastLabel) && "=".equals(op)) {
          metrics.add(value);
        }
      } else {
        if (!Character.isWhitespace(c) && c != ',') {
          op += c;
        }
        i++;
      }
    }
    labels.remove("__name__");
    i++; // '}'
  }

  private boolean followedByParen() {
    int j = i;
    while (j < s.length() && Character.isWhitespace(s.charAt(j))) {
      j++;
    }
    return j < s.length() && s.charAt(j) == '(';
  }

  private String readIdentifier() {
    int start = i;
    while (i < s.length() && (isIdentStart(s.charAt(i)) || Character.isDigit(s.charAt(i)))) {
      i++;
    }
    return s.substring(start, i);
  }

  /** Reads a quoted string starting at {@code i}; returns its content (escapes kept as written). */
  private String readString() {
    char quote = s.charAt(i++);
    int start = i;
    while (i < s.length() && s.charAt(i) != quote) {
      i += quote != '`' && s.charAt(i) == '\\' ? 2 : 1;
    }
    String content = s.substring(start, Math.min(i, s.length()));
    i++;
    return content;
  }

  private void skipNumber() {
    while (i < s.length()) {
      char c = s.charAt(i);
      if ((c == 'e' || c == 'E') && i + 1 < s.length() && (s.charAt(i + 1) == '+' || s.charAt(i + 1) == '-')) {
        i += 2;
      } else if (Character.isLetterOrDigit(c) || c == '.' || c == '_') {
        i++;
      } else {
        return;
      }
    }
  }

  private void skipPast(char end) {
    while (i < s.length() && s.charAt(i) != end) {
      i++;
    }
    i++;
  }

  private void skipComment() {
    while (i < s.length() && s.charAt(i) != '\n') {
      i++;
    }
  }

  private void skipSpace() {
    while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
      i++;
    }
  }

  private static boolean isIdentStart(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == ':';
  }
}
