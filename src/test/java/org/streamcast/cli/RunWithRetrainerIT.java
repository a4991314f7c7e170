package org.streamcast.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.streamcast.testing.Await;
import org.streamcast.testing.KafkaExtension;
import org.streamcast.testing.StreamcastProcess;
import org.streamcast.testing.TestKafka;

/**
 * {@code streamcast run --with-retrainer} co-hosts the retrainer: it runs on the spec's schedule, judges (here: skips,
 * the series topic is still empty) and counts the run in the app's own /metrics; SIGTERM stops both cleanly.
 */
@ExtendWith(KafkaExtension.class)
class RunWithRetrainerIT {

  @Test
  void shouldRetrainOnScheduleAndCountRunsWhenRunWithRetrainer(TestKafka kafka, @TempDir Path dir) throws Exception {
    String name = TestKafka.uniqueName("cohost").replace('_', '-');
    Path spec = dir.resolve(name + ".yaml");
    Files.writeString(spec, String.join("\n",
        "name: " + name,
        "window: {step: 1h}",
        "model: {type: gru, hiddenSize: 4, context: 24, horizon: 2, seasonalLags: [24]}",
        "training: {schedule: 2s, epochs: 1, patience: 1}",
        ""));
    try (StreamcastProcess p = StreamcastProcess.start(dir.resolve("run.out"), "run", "--topology", spec.toString(),
        "--with-retrainer", "--bootstrap", kafka.bootstrapServers(), "--state-dir", dir.resolve("state").toString(),
        "--http-port", "0")) {
      Matcher port = p.awaitLine(Pattern.compile("metrics at http://localhost:(\\d+)/metrics"),
          Duration.ofSeconds(90));
      p.awaitLine(Pattern.compile("retrain " + Pattern.quote(name) + ": skipped \\(not enough history in "
          + Pattern.quote(name) + "\\.series: 0 key\\(s\\)"), Duration.ofSeconds(90));
      String url = "http://localhost:" + port.group(1) + "/metrics";
      String counted = "streamcast_training_runs_total{outcome=\"skipped\",pipeline=\"" + name + "\"}";
      Await.await(() -> scrape(url).lines().anyMatch(l -> l.startsWith(counted) && !l.endsWith(" 0.0")),
          Duration.ofSeconds(30), "a skipped run counted in " + url);
      p.destroy();
      assertEquals(0, p.awaitExit(Duration.ofSeconds(60)), p.output());
      assertTrue(!p.output().contains("Exception"), p.output());
    }
  }

  private static String scrape(String url) {
    try {
      var client = java.net.http.HttpClient.newHttpClient();
      return client.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(url)).build(),
          java.net.http.HttpResponse.BodyHandlers.ofString()).body();
    } catch (java.io.IOException e) {
      return "";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "";
    }
  }
}
