package org.streamcast.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.IsolationLevel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.streamcast.config.PipelineSpec;
import org.streamcast.config.RuntimeSettings;
import org.streamcast.kafka.TopicSpec;
import org.streamcast.testing.Await;
import org.streamcast.testing.KafkaExtension;
import org.streamcast.testing.Kcat;
import org.streamcast.testing.TestKafka;

/**
 * One producer's clock on the real broker, produced with kcat: a key whose events run 14 hours ahead (within
 * {@code window.maxSkew}) moves its partition's stream time, and the other keys of that partition go on forecasting
 * every step (an event is late only for a key that already has its window or a later one).
 */
@ExtendWith(KafkaExtension.class)
class ClockJumpIT {
  private static final Instant T0 = Instant.parse("2024-03-01T00:00:00Z");
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final List<String> HONEST = List.of("ctl", "other");

  private static List<String> lines(List<String> keys, int from, int to) {
    List<String> out = new ArrayList<>();
    for (int h = from; h <= to; h++) {
      for (String key : keys) {
        out.add(key + "={\"key\":\"" + key + "\",\"ts\":\"" + T0.plusSeconds(3600L * h) + "\",\"value\":" + (100 + h)
            + "}");
      }
    }
    return out;
  }

  @Test
  void shouldForecastEveryStepOfTheOtherKeysWhenOneProducersClockRunsHoursAhead(TestKafka kafka,
      @TempDir Path state) throws Exception {
    String name = TestKafka.uniqueName("clock").replace('_', '-');
    // hourly steps, no grace, season 2: a key forecasts from its second step
    PipelineSpec spec = PipelineIT.spec(name);
    // one partition: every key shares one stream time
    kafka.createTopic(PipelineTopics.keepBySize(TopicSpec.of(spec.input().topic(), 1)));
    RuntimeSettings settings = RuntimeSettings.resolve(RuntimeSettings.defaults(), PipelineSpec.Runtime.NONE,
        Map.of(), new RuntimeSettings.Overrides(kafka.bootstrapServers(), state, 0, null, null, null));
    try (StreamcastApp app = StreamcastApp.start(List.of(new StreamcastApp.Pipeline(spec, settings)))) {
      Await.await(app::isReady, WAIT, "pipeline running");
      String topic = spec.input().topic();
      Kcat.produce(kafka.bootstrapServers(), topic, lines(HONEST, 0, 5));
      Kcat.produce(kafka.bootstrapServers(), topic, List.of("atk={\"key\":\"atk\",\"ts\":\""
          + T0.plusSeconds(3600L * 19) + "\",\"value\":1}"));
      Kcat.produce(kafka.bootstrapServers(), topic, lines(HONEST, 6, 10));

      List<String> expected = new ArrayList<>();
      for (String key : HONEST) {
        for (int h = 1; h <= 10; h++) {
          expected.add(key + "@" + T0.plusSeconds(3600L * h));
        }
      }
      Set<String> out = Await.until(() -> KeyExpiryIT.forecasts(kafka, spec.output().forecasts()),
          f -> f.containsAll(expected), WAIT, "every step of ctl and other forecast, hours 1..10");
      assertTrue(out.containsAll(expected));
      assertFalse(out.stream().anyMatch(f -> f.startsWith("atk@")), "atk's one step is still open");
      assertEquals(List.of(), kafka.consumeToEnd(spec.output().deadLetters(), Duration.ofSeconds(5),
          IsolationLevel.READ_COMMITTED).stream().map(ConsumerRecord::value).toList(), "nothing dead-lettered late");
      assertTrue(app.isReady() && !app.hasFailed());
    }
  }
}
