package org.streamcast.retrain;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.streamcast.bench.RetrainBench;
import org.streamcast.config.PipelineSpec;
import org.streamcast.config.SpecLoader;
import org.streamcast.model.ModelArtifact;
import org.streamcast.model.Provenance;
import org.streamcast.testing.KafkaExtension;
import org.streamcast.testing.StreamcastProcess;
import org.streamcast.testing.TestKafka;
import org.streamcast.training.ProgressListener;
import org.streamcast.training.backtest.BacktestListener;

/** The retrainer on a fleet larger than its heap would hold as objects, and its sample's seed. */
@ExtendWith(KafkaExtension.class)
class RetrainAtScaleIT {
  private static final Duration HOUR = Duration.ofHours(1);

  private static String spec(String name, int steps, String budget) {
    return String.join("\n",
        "name: " + name,
        "window: {step: 1h}",
        "model: {type: gru, hiddenSize: 8, context: 48, horizon: 6, seasonalLags: [24]}",
        "training: {history: " + steps + "h, epochs: 2, patience: 1, seed: 7, " + budget + "}",
        "");
  }

  @Test
  void shouldJudgeWithNumbersLoggedWhenHistoryExceedsWhatSmallHeapHoldsAsObjects(TestKafka kafka,
      @TempDir Path dir) throws Exception {
    String name = TestKafka.uniqueName("fleet").replace('_', '-');
    int keys = 2000;
    int steps = 1000;
    // 2 M steps: about 320 MB as one object per step (160 bytes each, measured before), more than the 256 MB heap
    RetrainBench.fill(kafka.clientProps(), name + ".series", keys, steps, HOUR, 11);
    Path spec = dir.resolve(name + ".yaml");
    Files.writeString(spec, spec(name, steps,
        "maxKeys: 64, judgeKeys: 40, maxWindows: 512, maxDuration: 60s, maxHistoryBytes: 1048576"));
    List<String> jvm = List.of("-XX:+UseParallelGC", "-Dorg.bytedeco.javacpp.maxPhysicalBytes=0", "--add-modules",
        "jdk.incubator.vector", "-Xmx256m");
    try (StreamcastProcess p = StreamcastProcess.start(dir.resolve("retrain.out"), jvm, Map.of(), List.of("retrain",
        "--topology", spec.toString(), "--bootstrap", kafka.bootstrapServers()))) {
      assertEquals(0, p.awaitExit(Duration.ofMinutes(10)), p.output());
      String out = p.output();
      Matcher held = Pattern.compile("held (\\d+) of 2000 keys").matcher(out);
      assertTrue(held.find(), out);
      int h = Integer.parseInt(held.group(1));
      assertTrue(h > 100 && h < keys, "1 MiB holds a sample of the keys, 4 bytes a step: " + h);
      Matcher judged = Pattern.compile("retrain " + Pattern.quote(name) + ": (promoted|rejected): .*challenger MASE "
          + "(\\d+\\.\\d+).*; judged on 40 of 2000 keys, confidence (\\d+\\.\\d)%").matcher(out);
      assertTrue(judged.find(), out);
      assertTrue(Double.parseDouble(judged.group(3)) >= 50, "the confidence of the decision taken: " + judged.group());
      assertTrue(out.contains("training on 64 of "), out);
      assertFalse(out.contains("OutOfMemoryError") || out.contains("Exception"), out);
    }
  }

  @Test
  void shouldGiveBitwiseEqualModelWhenTheSameTopicAndSeedAreRetrainedTwice(TestKafka kafka) {
    String name = TestKafka.uniqueName("seeded").replace('_', '-');
    int steps = 400;
    RetrainBench.fill(kafka.clientProps(), name + ".series", 300, steps, HOUR, 5);
    PipelineSpec spec = SpecLoader.parse("seeded.yaml", spec(name, steps,
        "maxKeys: 24, judgeKeys: 12, maxWindows: 200, maxHistoryBytes: 1048576"));
    byte[] first = retrain(kafka, spec);
    byte[] second = retrain(kafka, spec);
    assertArrayEquals(first, second, "same topic, same seed: the same weights, scalers and sources");
  }

  @Test
  void shouldIgnoreAStepDatedPastTheClockWhenReadingTheHistory(TestKafka kafka) throws Exception {
    String name = TestKafka.uniqueName("future").replace('_', '-');
    String topic = name + ".series";
    RetrainBench.fill(kafka.clientProps(), topic, 20, 100, HOUR, 5);
    // one step written by another hand (kcat: the record stamped now), dated far past the clock
    try (org.apache.kafka.clients.producer.KafkaProducer<String, String> p =
             new org.apache.kafka.clients.producer.KafkaProducer<>(kafka.clientProps(),
                 new org.apache.kafka.common.serialization.StringSerializer(),
                 new org.apache.kafka.common.serialization.StringSerializer())) {
      p.send(new org.apache.kafka.clients.producer.ProducerRecord<>(topic, "meter-000000",
          "{\"key\":\"meter-000000\",\"ts\":\"9999-11-15T07:46:00Z\",\"value\":1,\"count\":1}")).get();
    }
    Duration span = Duration.ofDays(30);
    SeriesTopicReader.Holding all = new SeriesTopicReader.Holding(64 << 20, 0);
    SeriesHistory unbounded = SeriesTopicReader.read(kafka.clientProps(), topic, span, HOUR, Duration.ofSeconds(30),
        SeriesTopicReader.Progress.NONE, all, List.of());
    assertEquals(1, unbounded.keys().size(), "without a bound the span ends in 9999: one key, one step");
    SeriesHistory h = SeriesTopicReader.read(kafka.clientProps(), topic, span, HOUR, Duration.ofSeconds(30),
        SeriesTopicReader.Progress.NONE, all, List.of(), Instant.now().plus(HOUR).toEpochMilli());
    assertEquals(20, h.keys().size(), "every key's history");
    assertEquals(20 * 100, h.size(), "every step of the 100 hours, none of 9999");
  }

  /** One run's artifact as bytes, with a fixed provenance (it carries the wall-clock time of the run). */
  private static byte[] retrain(TestKafka kafka, PipelineSpec spec) {
    SeriesHistory h = SeriesTopicReader.read(kafka.clientProps(), spec.output().series(), spec.training().history(),
        spec.window().step(), Duration.ofSeconds(30), SeriesTopicReader.Progress.NONE,
        SeriesTopicReader.Holding.of(spec.training()));
    assertEquals(300, h.fleetKeys());
    Judgement j = new Retrainer(spec, ProgressListener.NONE, BacktestListener.NONE).judge(h, Retrainer.Champion.NONE);
    ModelArtifact a = j.candidate().orElseThrow();
    assertEquals(24, a.keyScalers().size(), "scalers of the sampled keys only");
    Provenance fixed = new Provenance("x", Instant.EPOCH, Instant.EPOCH, 0, 0, Map.of(), 0, Map.of(), Map.of(),
        Instant.EPOCH);
    return new ModelArtifact(a.network(), a.features(), a.keyScalers(), a.globalScaling(), fixed, a.sources())
        .toBytes();
  }
}
