package org.streamcast.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import org.apache.kafka.streams.KeyValue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.streamcast.testing.KafkaExtension;
import org.streamcast.testing.StreamcastProcess;
import org.streamcast.testing.TestKafka;

/**
 * Stopping {@code run --with-retrainer} and {@code demo} while a retraining is in progress (SIGTERM after its first
 * epoch line) is a clean stop: exit 0, and the console shows no WARN or ERROR line and no stack trace.
 */
@ExtendWith(KafkaExtension.class)
class CleanStopIT {

  @Test
  void shouldExitZeroSilentlyWhenRunIsStoppedMidRetraining(TestKafka kafka, @TempDir Path dir) throws Exception {
    String name = TestKafka.uniqueName("stop").replace('_', '-');
    Path spec = dir.resolve(name + ".yaml");
    Files.writeString(spec, String.join("\n",
        "name: " + name,
        "window: {step: 1h}",
        "model: {type: gru, hiddenSize: 8, context: 24, horizon: 2, seasonalLags: [24]}",
        "training: {schedule: 2s, epochs: 500, patience: 500}",
        ""));
    try (StreamcastProcess p = StreamcastProcess.start(dir.resolve("run.out"), StreamcastProcess.DEFAULT_JVM_OPTIONS,
        Map.of(), List.of("run", "--topology", spec.toString(), "--with-retrainer", "--bootstrap",
            kafka.bootstrapServers(), "--state-dir", dir.resolve("state").toString(), "--http-port", "0"))) {
      p.awaitLine(Pattern.compile("metrics at http://localhost:\\d+/metrics"), Duration.ofSeconds(90));
      kafka.produce(name + ".series", history(600));
      p.awaitLine(Pattern.compile("train " + Pattern.quote(name) + ": epoch 1/500"), Duration.ofSeconds(120));
      p.destroy();
      assertEquals(0, p.awaitExit(Duration.ofSeconds(60)), p.output());
      assertEquals(List.of(), noisy(p.outputLines()), p.output());
    }
  }

  @Test
  void shouldExitZeroSilentlyWhenDemoIsStoppedMidRetraining(TestKafka kafka, @TempDir Path dir) {
    try (StreamcastProcess demo = StreamcastProcess.start(dir.resolve("demo.out"),
        StreamcastProcess.DEFAULT_JVM_OPTIONS,
        Map.of(), List.of("demo", "--http-port", "0", "--refresh", "5s", "--speedup", "50000", "--epochs", "3",
            "--retrain-every", "5s", "--log-file", dir.resolve("demo.log").toString(),
            "--bootstrap", kafka.bootstrapServers()))) {
      demo.awaitLine(Pattern.compile("retrain electricity: epoch 1/3"), Duration.ofSeconds(400));
      demo.destroy();
      assertEquals(0, demo.awaitExit(Duration.ofSeconds(60)), demo.output());
      assertEquals(List.of(), noisy(demo.outputLines()), demo.output());
    }
  }

  /** Lines a person would have to judge: WARN or ERROR lines, exceptions, stack frames. */
  static List<String> noisy(List<String> lines) {
    return lines.stream()
        .filter(l -> l.matches(".*\\b(WARN|ERROR)\\b.*") || l.startsWith("\tat ") || l.contains("Exception"))
        .toList();
  }

  /** {@code steps} hourly steps of one key on the series topic: a daily cycle. */
  private static List<KeyValue<String, String>> history(int steps) {
    Instant start = Instant.parse("2024-01-01T00:00:00Z");
    List<KeyValue<String, String>> out = new ArrayList<>();
    for (int i = 0; i < steps; i++) {
      double v = 100 + 10 * Math.sin(2 * Math.PI * i / 24) + (i % 7);
      out.add(KeyValue.pair("k1", String.format(Locale.ROOT,
          "{\"key\":\"k1\",\"ts\":\"%s\",\"value\":%.3f,\"count\":1}", start.plus(Duration.ofHours(i)), v)));
    }
    return out;
  }
}
