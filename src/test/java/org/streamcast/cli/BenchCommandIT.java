package org.streamcast.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.streamcast.testing.KafkaExtension;
import org.streamcast.testing.TestKafka;

/**
 * {@code streamcast bench} at small sizes on a real broker: it exits 0 with a complete table (every figure, target and
 * check), whose numbers are sane: positive rates, ordered percentiles, every key restored. No timing thresholds: speed
 * is what the command reports, not what the test asserts.
 */
@ExtendWith(KafkaExtension.class)
class BenchCommandIT {

  @Test
  void shouldReportEveryFigureWithSaneNumbersWhenRunAtSmallSizes(TestKafka kafka, @TempDir Path out) throws Exception {
    StringWriter stdout = new StringWriter();
    StringWriter stderr = new StringWriter();
    var cl = Streamcast.commandLine();
    cl.setOut(new PrintWriter(stdout, true));
    cl.setErr(new PrintWriter(stderr, true));

    int code = cl.execute("bench", "--bootstrap", kafka.bootstrapServers(), "--events", "6000", "--keys", "200",
        "--rate", "2000", "--passes", "2", "--latency-steps", "1", "--restore-keys", "400", "--restore-steps", "26",
        "--out", out.toString());

    assertEquals(0, code, stdout + "\n" + stderr);
    String table = stdout.toString();
    assertTrue(table.contains("pipeline / pass-through throughput"), table);
    assertTrue(table.contains("wrote " + out.resolve("bench.csv")), table);
    Map<String, String[]> rows = new HashMap<>();
    for (String line : Files.readAllLines(out.resolve("bench.csv")).subList(1, Files.readAllLines(
        out.resolve("bench.csv")).size())) {
      String[] cells = line.split(",", -1);
      rows.put(cells[0].replace("\"", ""), cells);
    }
    for (String rate : List.of("pass-through throughput", "pipeline throughput (exactly_once_v2)",
        "pipeline / pass-through throughput", "state build throughput (400 keys)")) {
      assertTrue(median(rows, rate) > 0, rate + " " + String.join(",", rows.get(rate)));
    }
    assertEquals("2", rows.get("pass-through throughput")[6], "two measured passes");
    for (String who : List.of("pass-through", "pipeline")) {
      double p50 = median(rows, who + " latency p50");
      double p99 = median(rows, who + " latency p99");
      double p999 = median(rows, who + " latency p99.9");
      assertTrue(p50 > 0 && p50 <= p99 && p99 <= p999, who + ": " + p50 + " " + p99 + " " + p999);
    }
    assertTrue(median(rows, "pipeline / pass-through latency p99") > 0);
    assertTrue(median(rows, "pipeline own event -> forecast p50") >= median(rows, "pipeline latency p50"),
        "waiting for the window to close comes on top");
    assertTrue(median(rows, "key-state store on disk after build") > 0);
    assertTrue(median(rows, "changelog records restored: forecast-key-state") >= 400);
    assertTrue(median(rows, "restart with empty state dir -> RUNNING (400 keys)") > 0);
    assertTrue(median(rows, "RSS (at the end)") > 0);
    assertTrue(median(rows, "heap live after GC (at the end)") > 0);
    for (String check : List.of("check:pass-through outputs per pass", "check:pipeline windows closed per pass",
        "check:pipeline forecasts per pass", "check:latency outputs on their key's partition",
        "check:keys in the store after the build", "check:keys restored with a hidden state",
        "check:restored keys holding a forecast")) {
      assertEquals("ok", rows.get(check)[7], check);
    }
    assertEquals("6000", rows.get("check:pass-through outputs per pass")[3]);
    assertEquals("1000", rows.get("check:pipeline forecasts per pass")[3],
        "200 keys x (30 steps - 25 warm-up: the seasonal lag 24 and the change over it)");
    assertEquals("400", rows.get("check:keys restored with a hidden state")[3]);
    assertEquals(3, rows.keySet().stream().filter(k -> k.startsWith("target:")).count());
    String md = Files.readString(out.resolve("bench.md"));
    assertTrue(md.contains("| figure | unit | warm-up | median | spread (min – max) | passes |"), md);
    assertTrue(md.contains("- machine: "), md);
  }

  private static double median(Map<String, String[]> rows, String figure) {
    String[] row = rows.get(figure);
    assertTrue(row != null, "no row " + figure + " in " + rows.keySet());
    return Double.parseDouble(row[3]);
  }
}
