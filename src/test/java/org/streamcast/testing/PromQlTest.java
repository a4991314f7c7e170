package org.streamcast.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Set;
import org.junit.jupiter.api.Test;

class PromQlTest {

  @Test
  void shouldFindMetricAndLabelsWhenHistogramQuantileOfRate() {
    PromQl.Names n = PromQl.names(
        "histogram_quantile(0.99, sum by (le) (rate(streamcast_inference_seconds_bucket{pipeline=\"x\"}[1m])))");
    assertEquals(Set.of("streamcast_inference_seconds_bucket"), n.metrics());
    assertEquals(Set.of("le", "pipeline"), n.labels());
  }

  @Test
  void shouldSkipKeywordsFunctionsAndNumbersWhenCombiningVectors() {
    PromQl.Names n = PromQl.names("sum without (instance) (a_total{job=~\"x|y\"} offset 5m) / ignoring (reason) "
        + "group_left (key) max(b:rule:rate5m) > bool 1.5e-3 and on () vector(0) or absent(c) unless d @ start()");
    assertEquals(Set.of("a_total", "b:rule:rate5m", "c", "d"), n.metrics());
    assertEquals(Set.of("instance", "job", "reason", "key"), n.labels());
  }

  @Test
  void shouldIgnoreStringsAndTakeNameMatcherWhenLabelsAreRewritten() {
    PromQl.Names n = PromQl.names("label_replace({__name__=\"up\", job!=\"by (x)\"}, \"dst\", \"$1\", 'src', "
        + "`(.*)`) + count_values(\"value\", topk(3, metric_one)) # comment metric_two");
    assertEquals(Set.of("up", "metric_one"), n.metrics());
    assertEquals(Set.of("job"), n.labels());
  }

  @Test
  void shouldReadSubqueriesAndAggregationsAfterBodyWhenGroupingLate() {
    PromQl.Names n = PromQl.names("max_over_time(sum(rate(x_total[5m])) by (pipeline, horizon)[30m:1m])");
    assertEquals(Set.of("x_total"), n.metrics());
    assertEquals(Set.of("pipeline", "horizon"), n.labels());
  }
}
