package org.streamcast.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.streams.KeyValue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.streamcast.config.PipelineSpec;
import org.streamcast.config.RuntimeSettings;
import org.streamcast.testing.Await;
import org.streamcast.testing.KafkaExtension;
import org.streamcast.testing.TestKafka;
import org.streamcast.topology.PipelineTopology;

/**
 * Keys expire on the real broker: keys idle longer than {@code state.keyIdleTimeout} of stream time leave the
 * key-state store (their changelog gets tombstones), the key count drops and the expiry is counted; a key that comes
 * back warms up from scratch and forecasts again.
 */
@ExtendWith(KafkaExtension.class)
class KeyExpiryIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Instant T0 = Instant.parse("2024-03-01T00:00:00Z");
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final List<String> IDLE = List.of("idle-0", "idle-1", "idle-2", "idle-3");

  private static RuntimeSettings settings(TestKafka kafka, Path state) {
    return RuntimeSettings.resolve(RuntimeSettings.defaults(), PipelineSpec.Runtime.NONE, Map.of(),
        new RuntimeSettings.Overrides(kafka.bootstrapServers(), state, 0, null, null, null));
  }

  /**
   * One key on each partition of the input topic (the default partitioner's choice, as the repartition topic's): a
   * task's stream time moves only with its own events, so every task gets a key that keeps stepping.
   */
  private static List<String> liveKeys() {
    List<String> keys = new ArrayList<>();
    Set<Integer> covered = new TreeSet<>();
    for (int i = 0; covered.size() < PipelineTopics.DEFAULT_PARTITIONS; i++) {
      String key = "live-" + i;
      int p = Utils.toPositive(Utils.murmur2(key.getBytes(StandardCharsets.UTF_8))) % PipelineTopics.DEFAULT_PARTITIONS;
      if (covered.add(p)) {
        keys.add(key);
      }
    }
    return keys;
  }

  private static List<KeyValue<String, String>> events(List<String> keys, int from, int to) {
    List<KeyValue<String, String>> out = new ArrayList<>();
    for (int h = from; h <= to; h++) {
      for (String key : keys) {
        out.add(KeyValue.pair(key, "{\"key\":\"" + key + "\",\"ts\":\"" + T0.plusSeconds(3600L * h)
            + "\",\"value\":" + (100 + h) + "}"));
      }
    }
    return out;
  }

  /** The forecasts published so far (read committed), as key@origin. */
  static Set<String> forecasts(TestKafka kafka, String topic) {
    Set<String> out = new TreeSet<>();
    for (ConsumerRecord<String, String> r : kafka.consumeToEnd(topic, WAIT, IsolationLevel.READ_COMMITTED)) {
      try {
        JsonNode f = JSON.readTree(r.value());
        out.add(f.get("key").asText() + "@" + Instant.parse(f.get("origin").asText()));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return out;
  }

  /** Each key's latest committed record on {@code topic} (a changelog: null values are tombstones). */
  private static Map<String, ConsumerRecord<String, String>> latestByKey(TestKafka kafka, String topic) {
    Map<String, ConsumerRecord<String, String>> last = new HashMap<>();
    for (ConsumerRecord<String, String> r : kafka.consumeToEnd(topic, WAIT, IsolationLevel.READ_COMMITTED)) {
      last.put(r.key(), r);
    }
    return last;
  }

  private static String metric(StreamcastApp app, String name, String pipeline) {
    String prefix = name + "{pipeline=\"" + pipeline + "\"} ";
    String body;
    try {
      body = PipelineIT.get(app.httpPort(), "/metrics").body();
    } catch (Exception e) {
      throw new IllegalStateException("scraping /metrics", e);
    }
    for (String line : body.split("\n")) {
      if (line.startsWith(prefix)) {
        return line.substring(prefix.length());
      }
    }
    return null;
  }

  private static String origin(String key, int hour) {
    return key + "@" + T0.plusSeconds(3600L * hour);
  }

  @Test
  void shouldDeleteIdleKeysTombstoneThemAndWarmAReturningKeyUpAgainWhenIdleLongerThanTheTimeout(TestKafka kafka,
      @TempDir Path state) throws Exception {
    String name = TestKafka.uniqueName("expiry").replace('_', '-');
    // hourly steps, no grace, season 2: a key forecasts from its second step; keys idle 6 h expire
    PipelineSpec spec = PipelineIT.spec(name).withState(new PipelineSpec.State(Duration.ofHours(6)));
    RuntimeSettings settings = settings(kafka, state);
    List<String> live = liveKeys();
    List<String> all = new ArrayList<>(live);
    all.addAll(IDLE);
    try (StreamcastApp app = StreamcastApp.start(List.of(new StreamcastApp.Pipeline(spec, settings)))) {
      Await.await(app::isReady, WAIT, "pipeline running");
      kafka.produce(spec.input().topic(), events(all, 0, 4));
      Await.until(() -> forecasts(kafka, spec.output().forecasts()),
          f -> all.stream().allMatch(k -> f.contains(origin(k, 3))), WAIT, "hours 0..3 forecast for every key");
      assertEquals("8.0", metric(app, "streamcast_keys_tracked", name));
      assertEquals("0.0", metric(app, "streamcast_keys_expired_total", name));

      // only the live keys go on: the idle keys' last step is hour 4 (closed by the live keys' hour 5); the index
      // bound is its hour's end, 5 h, and stream time (the latest step start) reaches 5 h + 6 h at hour 11,
      // closed by hour 12
      kafka.produce(spec.input().topic(), events(live, 5, 10));
      Await.until(() -> forecasts(kafka, spec.output().forecasts()),
          f -> live.stream().allMatch(k -> f.contains(origin(k, 9))), WAIT, "hours up to 9 forecast");
      assertEquals("8.0", metric(app, "streamcast_keys_tracked", name), "idle 5 h: kept");
      assertEquals(200, PipelineIT.get(app.httpPort(), "/state/idle-0").statusCode());

      kafka.produce(spec.input().topic(), events(live, 11, 12));
      Await.until(() -> metric(app, "streamcast_keys_expired_total", name), "4.0"::equals, WAIT,
          "the four idle keys expired");
      assertEquals("4.0", metric(app, "streamcast_keys_tracked", name));
      assertEquals("0.0", metric(app, "streamcast_keys_warming", name));
      for (String key : IDLE) {
        assertEquals(404, PipelineIT.get(app.httpPort(), "/state/" + key).statusCode(), key + " is gone");
      }
      assertEquals(200, PipelineIT.get(app.httpPort(), "/state/" + live.get(0)).statusCode());

      // the changelog: each idle key's last record is a tombstone; the live keys' are states. The store answers at
      // once, the changelog when the task commits its transaction: wait for that commit.
      String changelog = settings.applicationId(name) + "-" + PipelineTopology.KEY_STATE_STORE + "-changelog";
      Map<String, ConsumerRecord<String, String>> latest = Await.until(() -> latestByKey(kafka, changelog),
          last -> IDLE.stream().allMatch(k -> last.containsKey(k) && last.get(k).value() == null), WAIT,
          "tombstones of the idle keys committed to the changelog");
      for (String key : IDLE) {
        assertTrue(latest.containsKey(key), key + " was in the changelog");
        assertNull(latest.get(key).value(), key + " tombstoned");
      }
      for (String key : live) {
        assertTrue(latest.get(key).value() != null, key + " kept");
      }
      // the resample side's entries of the idle keys (their last windows) are tombstoned too, the live keys' kept
      String windows = settings.applicationId(name) + "-" + PipelineTopology.WINDOWS_STORE + "-changelog";
      Map<String, ConsumerRecord<String, String>> windowsLatest = Await.until(() -> latestByKey(kafka, windows),
          last -> IDLE.stream().allMatch(k -> last.containsKey(k) && last.get(k).value() == null), WAIT,
          "the idle keys' windows tombstoned in their changelog");
      for (String key : live) {
        assertTrue(windowsLatest.get(key).value() != null, key + "'s windows kept");
      }

      // idle-0 comes back: a new key, warming up from its first step (hour 13), forecasting from its second (14)
      List<String> back = new ArrayList<>(live);
      back.add("idle-0");
      kafka.produce(spec.input().topic(), events(back, 13, 16));
      Set<String> out = Await.until(() -> forecasts(kafka, spec.output().forecasts()),
          f -> f.contains(origin("idle-0", 15)), WAIT, "idle-0 forecasts again");
      assertFalse(out.contains(origin("idle-0", 13)), "warming up: no forecast at its first step back");
      assertTrue(out.contains(origin("idle-0", 14)));
      JsonNode s = JSON.readTree(PipelineIT.get(app.httpPort(), "/state/idle-0").body());
      assertEquals(3, s.get("steps").asInt(), "hours 13..15 only: nothing from before it expired");
      assertEquals("5.0", metric(app, "streamcast_keys_tracked", name));
      assertEquals("4.0", metric(app, "streamcast_keys_expired_total", name));
      assertTrue(app.isReady() && !app.hasFailed());
    }
  }
}
