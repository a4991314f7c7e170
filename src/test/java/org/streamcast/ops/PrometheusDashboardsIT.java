package org.streamcast.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.streamcast.metrics.TrainingMeters;
import org.streamcast.testing.Await;
import org.streamcast.testing.DashboardQueries;
import org.streamcast.testing.KafkaExtension;
import org.streamcast.testing.MetricContract;
import org.streamcast.testing.PrometheusServer;
import org.streamcast.testing.TestKafka;

/**
 * The dashboards against a live pipeline: a real Prometheus scrapes a running pipeline (with its in-process
 * retrainer's meters, bound as {@code run --with-retrainer} binds them) every second; then every PromQL expression
 * of every Grafana dashboard is evaluated through Prometheus' HTTP API and must return data, and every metric the
 * dashboards name must be in the app's {@code /metrics} with the contract's labels. No metric is exempted. No
 * retraining runs here (a DL4J run takes half a minute on a small machine; HotSwapIT covers it), so the training
 * gauges and the model age are present but NaN: the baseline serves and no run has finished.
 */
@ExtendWith(KafkaExtension.class)
class PrometheusDashboardsIT {
  private static final Logger LOG = LoggerFactory.getLogger(PrometheusDashboardsIT.class);
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @Test
  void shouldAnswerEveryDashboardQueryWithDataWhenPrometheusScrapesARunningPipeline(TestKafka kafka,
      @TempDir Path dir) throws Exception {
    String name = TestKafka.uniqueName("prom").replace('_', '-');
    try (RunningPipeline pipeline = RunningPipeline.start(kafka, dir.resolve("state"), name);
         PrometheusServer prometheus = PrometheusServer.start(dir, "streamcast",
             List.of("127.0.0.1:" + pipeline.app.httpPort()))) {
      TrainingMeters training = new TrainingMeters(name);
      training.bindTo(pipeline.app.registry());
      prometheus.awaitUp("streamcast", WAIT);
      LOG.info("Prometheus scrapes the pipeline; producing");

      // 14 days of 4 keys, paced over about 4 s so that rates and histograms see live traffic
      int days = 14;
      pipeline.produce(RunningPipeline.hours(0, 24 * days, 1), 300);
      pipeline.awaitForecasts(RunningPipeline.KEYS * RunningPipeline.forecastsPerKey(24 * days), WAIT);
      LOG.info("forecasts published");
      System.gc(); // the JVM binder registers GC pause timers on the first GC notification
      String metrics = Await.until(() -> get(pipeline.app.httpPort(), "/metrics"),
          m -> m.contains("jvm_gc_pause_seconds_count"), WAIT, "a GC pause in /metrics");
      String selector = "{pipeline=\"" + name + "\"}";
      double published = pipeline.counter("streamcast.forecasts.out");
      Await.await(() -> !prometheus.query("streamcast_forecasts_out_total" + selector + " >= " + published).isEmpty()
              && !prometheus.query("jvm_gc_pause_seconds_count").isEmpty(), WAIT,
          "Prometheus to scrape the last forecasts and a GC pause");

      // every dashboard expression returns data
      DashboardQueries dashboards = DashboardQueries.load(name);
      List<String> empty = new ArrayList<>();
      List<String> notANumber = new ArrayList<>();
      for (DashboardQueries.Query q : dashboards.queries()) {
        JsonNode result = prometheus.query(q.expr());
        if (result.isEmpty()) {
          empty.add(q.toString());
        }
        for (JsonNode series : result) {
          if (series.at("/value/1").asText().equals("NaN")) {
            notANumber.add(q.toString());
          }
        }
      }
      LOG.info("{} dashboard queries evaluated; NaN values in: {}", dashboards.queries().size(), notANumber);
      assertEquals(List.of(), empty, "dashboard queries without data");
      assertTrue(dashboards.queries().size() >= 40, "queries: " + dashboards.queries().size());

      // the numbers behind them are live
      assertEquals(RunningPipeline.KEYS, value(prometheus, "sum(streamcast_keys_tracked" + selector + ")"));
      assertEquals(0, value(prometheus, "sum(streamcast_keys_warming" + selector + ")"));
      assertEquals(0, value(prometheus, "max(streamcast_model_version" + selector + ")"), "the baseline serves");
      double skill = value(prometheus, "streamcast_forecast_skill{pipeline=\"" + name + "\",horizon=\"1\"}");
      assertTrue(Double.isFinite(skill) && skill < 1, "skill h=1: " + skill);
      for (String level : List.of("0.8", "0.95")) {
        double coverage = value(prometheus,
            "streamcast_interval_coverage{pipeline=\"" + name + "\",level=\"" + level + "\"}");
        assertTrue(coverage > 0.5 && coverage <= 1, "coverage at " + level + ": " + coverage);
      }
      double actual = value(prometheus, "streamcast_watch_actual{pipeline=\"" + name + "\",key=\"k-0\"}");
      assertTrue(actual > 80 && actual < 120, "k-0's latest actual: " + actual);
      assertEquals(0, value(prometheus, "sum(streamcast_training_runs_total" + selector + ")"), "no run yet");

      // static: every metric the dashboards name is in the app's /metrics, with the contract's labels
      assertEquals(Set.of(), MetricContract.missingFrom(metrics, dashboards.metricNames()), "missing from /metrics");
      Map<String, Set<String>> wrongLabels = new TreeMap<>();
      MetricContract.labelNames(metrics).forEach((metric, labels) -> {
        Set<String> allowed = MetricContract.BY_NAME.get(metric).labels();
        if (!allowed.containsAll(labels)) {
          Set<String> extra = new TreeSet<>(labels);
          extra.removeAll(allowed);
          wrongLabels.put(metric, extra);
        }
      });
      assertEquals(Map.of(), wrongLabels, "labels outside the contract");
    }
  }

  private static double value(PrometheusServer prometheus, String expr) {
    JsonNode r = prometheus.query(expr);
    assertEquals(1, r.size(), expr + " → " + r);
    return Double.parseDouble(r.get(0).at("/value/1").asText());
  }

  private static String get(int port, String path) {
    try {
      return HTTP.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).build(),
          HttpResponse.BodyHandlers.ofString()).body();
    } catch (Exception e) {
      throw new AssertionError("GET " + path + " failed: " + e, e);
    }
  }
}
