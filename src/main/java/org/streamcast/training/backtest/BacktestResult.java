package org.streamcast.training.backtest;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;

/**
 * Everything a backtest produced: per method and key the forecasts ({@link KeyRun}), and the score rows per key,
 * method and horizon plus the {@link ScoreRow#ALL} rows (unweighted mean over keys). Immutable.
 */
public final class BacktestResult {

  private final BacktestPlan plan;
  private final Map<String, Map<String, KeyRun>> runs;
  private final List<ScoreRow> rows;
  private final Map<String, String> leftOut;

  BacktestResult(BacktestPlan plan, Map<String, Map<String, KeyRun>> runs, List<ScoreRow> rows,
      Map<String, String> leftOut) {
    this.plan = plan;
    Map<String, Map<String, KeyRun>> copy = new LinkedHashMap<>();
    runs.forEach((m, byKey) -> copy.put(m, Collections.unmodifiableMap(new LinkedHashMap<>(byKey))));
    this.runs = Collections.unmodifiableMap(copy);
    this.rows = List.copyOf(rows);
    this.leftOut = Collections.unmodifiableMap(new LinkedHashMap<>(leftOut));
  }

  /** Keys of the panel that were too short for the plan, with the reason, in panel order. */
  public Map<String, String> leftOut() {
    return leftOut;
  }

  /** The first {@code max} of {@code leftOut} as {@code key (reason)}, and how many more. */
  public static String describe(Map<String, String> leftOut, int max) {
    StringBuilder b = new StringBuilder();
    int i = 0;
    for (Map.Entry<String, String> e : leftOut.entrySet()) {
      if (i++ == max) {
        return b.append(" and ").append(leftOut.size() - max).append(" more").toString();
      }
      b.append(b.length() == 0 ? "" : ", ").append(e.getKey()).append(" (").append(e.getValue()).append(')');
    }
    return b.toString();
  }

  /** The plan that was run. */
  public BacktestPlan plan() {
    return plan;
  }

  /** Method names in the order they ran. */
  public List<String> methods() {
    return List.copyOf(runs.keySet());
  }

  /** Keys in panel order. */
  public List<String> keys() {
    return runs.isEmpty() ? List.of() : List.copyOf(runs.values().iterator().next().keySet());
  }

  /** One method's forecasts for one key. */
  public KeyRun run(String method, String key) {
    Map<String, KeyRun> byKey = runs.get(method);
    if (byKey == null || !byKey.containsKey(key)) {
      throw new NoSuchElementException("no run for method " + method + " and key " + key);
    }
    return byKey.get(key);
  }

  /** All score rows: per method, the keys in order then {@code ALL}, each with the horizons ascending. */
  public List<ScoreRow> rows() {
    return rows;
  }

  /** The scores of one key (or {@code ALL}), method and horizon. */
  public Scores score(String key, String method, int h) {
    for (ScoreRow r : rows) {
      if (r.key().equals(key) && r.method().equals(method) && r.h() == h) {
        return r.scores();
      }
    }
    throw new NoSuchElementException("no scores for key " + key + ", method " + method + ", h " + h);
  }

  /** The dataset summary ({@code ALL} row) of a method at a horizon. */
  public Scores summary(String method, int h) {
    return score(ScoreRow.ALL, method, h);
  }

  static List<ScoreRow> withSummaries(List<ScoreRow> perKey, List<String> methods, List<Integer> horizons) {
    List<ScoreRow> out = new ArrayList<>();
    for (String method : methods) {
      for (ScoreRow r : perKey) {
        if (r.method().equals(method)) {
          out.add(r);
        }
      }
      for (int h : horizons) {
        List<Scores> keys = new ArrayList<>();
        for (ScoreRow r : perKey) {
          if (r.method().equals(method) && r.h() == h) {
            keys.add(r.scores());
          }
        }
        out.add(new ScoreRow(ScoreRow.ALL, method, h, Scores.unweightedMean(keys)));
      }
    }
    return out;
  }
}
