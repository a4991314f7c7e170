package org.streamcast.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What a benchmark run found: where it ran ({@code context}: machine, JVM, broker, settings, workload, model), the
 * figures, the targets with whether each is met, and the consistency checks (outputs complete, restored
 * keys). Renders itself as a console table, Markdown and CSV.
 *
 * @param context ordered {@code label -> text}
 * @param figures the figures in report order
 * @param targets the targets
 * @param checks  the checks
 */
public record BenchResult(Map<String, String> context, List<Figure> figures, List<Target> targets,
    List<Check> checks) {

  /**
   * A target of the issue.
   *
   * @param name  what is compared, e.g. {@code full / pass-through throughput}
   * @param value the measured value
   * @param rule  the target as text, e.g. {@code >= 0.50}
   * @param met   whether it is met
   */
  public record Target(String name, String value, String rule, boolean met) {}

  /**
   * A consistency check: the run did what it claims.
   *
   * @param name     what is checked
   * @param expected the expected value
   * @param actual   the value seen
   */
  public record Check(String name, long expected, long actual) {
    public boolean ok() {
      return expected == actual;
    }
  }

  public BenchResult {
    context = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(context));
    figures = List.copyOf(figures);
    targets = List.copyOf(targets);
    checks = List.copyOf(checks);
  }

  /** The figure named {@code name}. */
  public Figure figure(String name) {
    return figures.stream().filter(f -> f.name().equals(name)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no figure " + name));
  }

  /** Whether every check passed. */
  public boolean complete() {
    return checks.stream().allMatch(Check::ok);
  }

  private static final String[] HEADER = {"figure", "unit", "warm-up", "median", "spread (min – max)", "passes"};

  private List<String[]> rows() {
    List<String[]> rows = new ArrayList<>();
    for (Figure f : figures) {
      rows.add(new String[] {f.name(), f.unit(), f.format(f.warmup()), f.format(f.median()), f.spread(),
          Integer.toString(f.values().size())});
    }
    return rows;
  }

  /** A fixed-width table of the figures, the targets and the checks, for a terminal. */
  public String table() {
    List<String[]> rows = rows();
    int[] width = new int[HEADER.length];
    for (int c = 0; c < HEADER.length; c++) {
      width[c] = HEADER[c].length();
      for (String[] r : rows) {
        width[c] = Math.max(width[c], r[c].length());
      }
    }
    StringBuilder b = new StringBuilder();
    appendRow(b, HEADER, width);
    StringBuilder rule = new StringBuilder();
    for (int c = 0; c < width.length; c++) {
      rule.append(c == 0 ? "" : "  ").append("-".repeat(width[c]));
    }
    b.append(rule).append('\n');
    for (String[] r : rows) {
      appendRow(b, r, width);
    }
    b.append('\n');
    for (Target t : targets) {
      b.append(String.format(Locale.ROOT, "target  %-40s %10s  (%s)  %s%n", t.name(), t.value(), t.rule(),
          t.met() ? "met" : "NOT MET"));
    }
    for (Check c : checks) {
      b.append(String.format(Locale.ROOT, "check   %-40s %,d of %,d  %s%n", c.name(), c.actual(), c.expected(),
          c.ok() ? "ok" : "FAILED"));
    }
    return b.toString();
  }

  private static void appendRow(StringBuilder b, String[] cells, int[] width) {
    for (int c = 0; c < cells.length; c++) {
      boolean left = c < 2;
      String cell = cells[c];
      String pad = " ".repeat(width[c] - cell.length());
      b.append(c == 0 ? "" : "  ").append(left ? cell + pad : pad + cell);
    }
    int end = b.length();
    while (end > 0 && b.charAt(end - 1) == ' ') {
      end--;
    }
    b.setLength(end);
    b.append('\n');
  }

  /** The whole report as Markdown: context, figures, targets, checks. */
  public String markdown() {
    StringBuilder b = new StringBuilder();
    for (Map.Entry<String, String> e : context.entrySet()) {
      b.append("- ").append(e.getKey()).append(": ").append(e.getValue()).append('\n');
    }
    b.append('\n').append("| ").append(String.join(" | ", HEADER)).append(" |\n");
    b.append("|---|---|---:|---:|---:|---:|\n");
    for (String[] r : rows()) {
      b.append("| ").append(String.join(" | ", r)).append(" |\n");
    }
    b.append("\n| target | measured | rule | met |\n|---|---:|---|---|\n");
    for (Target t : targets) {
      b.append("| ").append(t.name()).append(" | ").append(t.value()).append(" | ")
          .append(t.rule().replace("<", "&lt;")).append(" | ").append(t.met() ? "yes" : "**no**").append(" |\n");
    }
    b.append("\n| check | expected | seen | ok |\n|---|---:|---:|---|\n");
    for (Check c : checks) {
      b.append(String.format(Locale.ROOT, "| %s | %,d | %,d | %s |%n", c.name(), c.expected(), c.actual(),
          c.ok() ? "yes" : "**no**"));
    }
    return b.toString();
  }

  /**
   * The figures as CSV: {@code figure,unit,warmup,median,min,max,passes,values} with plain numbers (values separated
   * by {@code ;}), then the targets ({@code target:<name>}) and checks ({@code check:<name>}) in the same columns.
   */
  public String csv() {
    StringBuilder b = new StringBuilder("figure,unit,warmup,median,min,max,passes,values\n");
    for (Figure f : figures) {
      StringBuilder values = new StringBuilder();
      for (double v : f.values()) {
        values.append(values.length() == 0 ? "" : ";").append(plain(v));
      }
      b.append(quote(f.name())).append(',').append(quote(f.unit())).append(',').append(plain(f.warmup())).append(',')
          .append(plain(f.median())).append(',').append(plain(f.min())).append(',').append(plain(f.max())).append(',')
          .append(f.values().size()).append(',').append(values).append('\n');
    }
    for (Target t : targets) {
      b.append(quote("target:" + t.name())).append(',').append(quote(t.rule())).append(",,")
          .append(t.value().replace(",", "")).append(",,,,").append(t.met() ? "met" : "not met").append('\n');
    }
    for (Check c : checks) {
      b.append(quote("check:" + c.name())).append(",records,,").append(c.actual()).append(",,,,")
          .append(c.ok() ? "ok" : "failed (expected " + c.expected() + ")").append('\n');
    }
    return b.toString();
  }

  private static String plain(double v) {
    if (Double.isNaN(v)) {
      return "";
    }
    return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v)
        : new java.math.BigDecimal(v).round(new java.math.MathContext(6)).stripTrailingZeros().toPlainString();
  }

  private static String quote(String s) {
    return s.contains(",") || s.contains("\"") ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
  }
}
