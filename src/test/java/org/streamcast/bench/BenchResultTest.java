package org.streamcast.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BenchResultTest {

  @Test
  void shouldTakeMiddleValueOrMeanOfMiddlePairWhenSummarisingPasses() {
    Figure odd = new Figure("x", "rec/s", 0, 5, List.of(30.0, 10.0, 20.0));
    Figure even = new Figure("x", "rec/s", 0, Double.NaN, List.of(40.0, 10.0, 20.0, 30.0));

    assertEquals(20, odd.median());
    assertEquals(25, even.median());
    assertEquals("10 – 30", odd.spread());
    assertEquals("", Figure.single("y", "s", 2, 1.5).spread());
  }

  @Test
  void shouldPickNearestRankWhenComputingPercentiles() {
    LatencySamples s = new LatencySamples(1, 1000);
    for (int i = 1000; i >= 1; i--) {
      s.add(0, i * 1_000_000L); // i ms
    }
    LatencySamples.Percentiles p = s.percentiles(0);

    assertEquals(500, p.p50());
    assertEquals(990, p.p99());
    assertEquals(999, p.p999());
    assertEquals(1000, p.n());
  }

  @Test
  void shouldWriteEveryFigureTargetAndCheckWhenRenderedAsCsvAndMarkdown() {
    BenchResult r = new BenchResult(Map.of("machine", "test"),
        List.of(new Figure("pipeline throughput", "rec/s", 0, 900, List.of(1000.0, 1200.5, 1100.0))),
        List.of(new BenchResult.Target("ratio", "0.40", ">= 0.5", false)),
        List.of(new BenchResult.Check("keys restored", 10, 10)));

    List<String> csv = r.csv().lines().toList();
    assertEquals("figure,unit,warmup,median,min,max,passes,values", csv.get(0));
    assertEquals("pipeline throughput,rec/s,900,1100,1000,1200.5,3,1000;1200.5;1100", csv.get(1));
    assertEquals("target:ratio,>= 0.5,,0.40,,,,not met", csv.get(2));
    assertEquals("check:keys restored,records,,10,,,,ok", csv.get(3));
    assertTrue(r.markdown().contains("| pipeline throughput | rec/s | 900 | 1,100 | 1,000 – 1,201 | 3 |"),
        r.markdown());
    assertTrue(r.table().contains("NOT MET"), r.table());
    assertTrue(r.complete());
    assertFalse(new BenchResult(Map.of(), List.of(), List.of(), List.of(new BenchResult.Check("c", 1, 0)))
        .complete());
  }
}
