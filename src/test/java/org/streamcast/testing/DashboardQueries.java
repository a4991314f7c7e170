package org.streamcast.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Every PromQL expression of the Grafana dashboards in {@code grafana/dashboards/*.json}, ready to send to a real
 * Prometheus, and the metric names they use: the single source of truth for "what the dashboards need".
 *
 * <p>Substitution: {@code $pipeline} (also {@code ${pipeline}}) becomes the given pipeline name; Grafana's
 * {@code $__rate_interval}, {@code $__interval} and {@code $__range} become the given interval (default
 * {@value #DEFAULT_INTERVAL}); any other dashboard variable becomes its {@code allValue} (the dashboards use such
 * variables only with {@code =~}).
 *
 * <pre>{@code
 * DashboardQueries q = DashboardQueries.load("electricity");
 * for (DashboardQueries.Query query : q.queries()) { ... prometheus.query(query.expr()) ... }
 * Set<String> missing = MetricContract.missingFrom(scrape, q.metricNames());
 * }</pre>
 */
public final class DashboardQueries {

  /** The dashboards, relative to the project directory. */
  public static final Path DIRECTORY = Path.of("grafana", "dashboards");
  /** What Grafana's interval variables become unless told otherwise. */
  public static final String DEFAULT_INTERVAL = "1m";

  private static final Set<String> INTERVAL_VARIABLES = Set.of("__rate_interval", "__interval", "__range");
  private static final Pattern VARIABLE = Pattern.compile("\\$\\{(\\w+)}|\\$(\\w+)");
  private static final Pattern LABEL_VALUES = Pattern.compile("^\\s*label_values\\((?:(.*),)?\\s*(\\w+)\\s*\\)\\s*$");
  private static final Pattern QUERY_RESULT = Pattern.compile("^\\s*query_result\\((.*)\\)\\s*$");
  private static final ObjectMapper JSON = new ObjectMapper();

  /** One panel target: where it is, the expression as written and with variables substituted. */
  public record Query(String dashboard, String panel, String refId, String rawExpr, String expr) {
    @Override
    public String toString() {
      return dashboard + " / " + panel + " / " + refId + ": " + expr;
    }
  }

  private final List<Query> queries;
  private final List<String> variableQueries;

  private DashboardQueries(List<Query> queries, List<String> variableQueries) {
    this.queries = List.copyOf(queries);
    this.variableQueries = List.copyOf(variableQueries);
  }

  /** The dashboards of this project (under {@code basedir}, else the working directory) for {@code pipeline}. */
  public static DashboardQueries load(String pipeline) {
    return load(projectDirectory().resolve(DIRECTORY), pipeline, DEFAULT_INTERVAL);
  }

  /** The dashboards in {@code directory} ({@code *.json}) with {@code $pipeline} and the intervals substituted. */
  public static DashboardQueries load(Path directory, String pipeline, String interval) {
    List<Query> queries = new ArrayList<>();
    List<String> variableQueries = new ArrayList<>();
    for (Path file : dashboardFiles(directory)) {
      JsonNode dashboard = read(file);
      String title = dashboard.path("title").asText(file.getFileName().toString());
      Map<String, String> values = new HashMap<>();
      for (JsonNode v : dashboard.path("templating").path("list")) {
        String name = v.path("name").asText();
        if (v.path("type").asText().equals("query")) {
          JsonNode q = v.path("query");
          variableQueries.add(q.isObject() ? q.path("query").asText() : q.asText());
        }
        if (v.hasNonNull("allValue") && !v.path("allValue").asText().isEmpty()) {
          values.put(name, v.path("allValue").asText());
        }
      }
      values.put("pipeline", pipeline);
      INTERVAL_VARIABLES.forEach(n -> values.put(n, interval));
      for (JsonNode panel : panels(dashboard)) {
        for (JsonNode target : panel.path("targets")) {
          String raw = target.path("expr").asText("");
          queries.add(new Query(title, panel.path("title").asText(), target.path("refId").asText(), raw,
              substitute(raw, values, title)));
        }
      }
    }
    return new DashboardQueries(queries, variableQueries);
  }

  /** Every panel target, in file and panel order. */
  public List<Query> queries() {
    return queries;
  }

  /** Every panel expression with variables substituted, in file and panel order. */
  public List<String> expressions() {
    return queries.stream().map(Query::expr).toList();
  }

  /**
   * The metric names used by the panel expressions and the variable queries ({@code label_values(metric, label)},
   * {@code query_result(expr)}), with {@code _bucket}/{@code _count}/{@code _sum} stripped where the contract
   * declares the base as a histogram (or summary).
   */
  public Set<String> metricNames() {
    Set<String> names = new TreeSet<>();
    allNames().forEach(n -> n.metrics().forEach(m ->
        names.add(MetricContract.resolve(m).map(MetricContract.Metric::name).orElse(m))));
    return Collections.unmodifiableSet(names);
  }

  /** The label names used in matchers, grouping clauses and {@code label_values} variable queries. */
  public Set<String> labelNames() {
    Set<String> labels = new TreeSet<>();
    allNames().forEach(n -> labels.addAll(n.labels()));
    return Collections.unmodifiableSet(labels);
  }

  private List<PromQl.Names> allNames() {
    List<PromQl.Names> all = new ArrayList<>();
    expressions().forEach(e -> all.add(PromQl.names(e)));
    for (String q : variableQueries) {
      Matcher lv = LABEL_VALUES.matcher(q);
      Matcher qr = QUERY_RESULT.matcher(q);
      if (lv.matches()) {
        PromQl.Names selector = lv.group(1) == null ? new PromQl.Names(Set.of(), Set.of()) : PromQl.names(lv.group(1));
        Set<String> labels = new TreeSet<>(selector.labels());
        labels.add(lv.group(2));
        all.add(new PromQl.Names(selector.metrics(), labels));
      } else if (qr.matches()) {
        all.add(PromQl.names(qr.group(1)));
      }
    }
    return all;
  }

  /** Top-level panels and the panels inside collapsed rows; rows themselves have no queries. */
  static List<JsonNode> panels(JsonNode dashboard) {
    List<JsonNode> out = new ArrayList<>();
    for (JsonNode p : dashboard.path("panels")) {
      if (p.path("type").asText().equals("row")) {
        p.path("panels").forEach(out::add);
      } else {
        out.add(p);
      }
    }
    return out;
  }

  /** The dashboard files in {@code directory}, sorted by name. */
  public static List<Path> dashboardFiles(Path directory) {
    try (Stream<Path> files = Files.list(directory)) {
      return files.filter(f -> f.getFileName().toString().endsWith(".json")).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list dashboards in " + directory, e);
    }
  }

  /** The project directory: the {@code basedir} property Maven's test plugins set, else the working directory. */
  public static Path projectDirectory() {
    return Path.of(System.getProperty("basedir", "")).toAbsolutePath();
  }

  private static JsonNode read(Path file) {
    try {
      return JSON.readTree(file.toFile());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read dashboard " + file, e);
    }
  }

  private static String substitute(String expr, Map<String, String> values, String dashboard) {
    Matcher m = VARIABLE.matcher(expr);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String name = m.group(1) != null ? m.group(1) : m.group(2);
      String value = values.get(name);
      if (value == null) {
        throw new IllegalStateException(dashboard + ": variable $" + name + " in `" + expr
            + "` has no value (give it an allValue)");
      }
      m.appendReplacement(out, Matcher.quoteReplacement(value));
    }
    m.appendTail(out);
    return out.toString();
  }
}
