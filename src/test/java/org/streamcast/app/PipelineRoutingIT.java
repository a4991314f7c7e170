package org.streamcast.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.streamcast.config.PipelineSpec;
import org.streamcast.kafka.TopicSpec;
import org.streamcast.testing.Await;
import org.streamcast.testing.KafkaExtension;
import org.streamcast.testing.TestKafka;

/**
 * Two pipelines in each of two instances (one process each in production; two apps in this JVM here) share their
 * partitions; a query for a key of the second pipeline asked at the instance that does not own it is forwarded to
 * the owner, which answers from the same pipeline ({@code pipeline=} travels with the forward).
 */
@ExtendWith(KafkaExtension.class)
class PipelineRoutingIT {
  private static final Logger LOG = LoggerFactory.getLogger(PipelineRoutingIT.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final List<String> KEYS = List.of("k-0", "k-1", "k-2", "k-3", "k-4", "k-5", "k-6", "k-7");

  @Test
  void shouldAnswerFromTheNamedPipelineWhenAQueryIsForwardedToTheOwner(TestKafka kafka, @TempDir Path dir)
      throws Exception {
    String suffix = TestKafka.uniqueName("").replace('_', '-');
    PipelineSpec first = HttpProof.spec("route-first" + suffix);
    PipelineSpec second = HttpProof.spec("route-second" + suffix);
    kafka.createTopic(TopicSpec.of(first.input().topic(), 4));
    kafka.createTopic(TopicSpec.of(second.input().topic(), 4));
    // the same keys in both, with different histories: 30 hours in the first, 12 in the second
    HttpProof.produce(kafka, first.input().topic(), HttpProof.hours(KEYS, 30, 100));
    HttpProof.produce(kafka, second.input().topic(), HttpProof.hours(KEYS, 12, 5000));
    try (StreamcastApp a = start(kafka, dir.resolve("a"), first, second);
         StreamcastApp b = start(kafka, dir.resolve("b"), first, second)) {
      Await.await(() -> a.isReady() && b.isReady(), Duration.ofSeconds(90), "both instances running");
      for (PipelineSpec p : List.of(first, second)) {
        int minSteps = p == first ? 25 : 9; // all but the last hours, which may stay open
        Map<String, String> owners = new TreeMap<>();
        for (String key : KEYS) {
          String path = "/state/" + key + "?pipeline=" + p.name();
          // the instances answer the same as the owner (polled: the last events may still be on their way)
          JsonNode fromOwner = Await.until(() -> sameEverywhere(a, b, path), n -> n != null
              && n.get("steps").asInt() >= minSteps, Duration.ofSeconds(90), p.name() + " " + key + " everywhere");
          assertTrue(p == first || fromOwner.get("steps").asInt() < 20, "the second pipeline's own history");
          boolean onA = HttpProof.get(a.httpPort(), path + "&local").statusCode() == 200;
          owners.put(key, onA ? "a" : "b");
          HttpResponse<String> forecast = HttpProof.get((onA ? b : a).httpPort(),
              "/forecasts/" + key + "?pipeline=" + p.name());
          assertEquals(200, forecast.statusCode(), forecast.body());
          JsonNode f = JSON.readTree(forecast.body());
          assertEquals(key, f.get("key").asText(), f.toString());
          assertEquals(p.name(), f.get("pipeline").asText(), "forwarded forecast comes from the named pipeline");
        }
        assertTrue(owners.containsValue("a") && owners.containsValue("b"), p.name() + " owners " + owners);
        LOG.info("{}: owners {}", p.name(), owners);
      }
    }
  }

  /** The owner's answer ({@code &local}) when both instances give exactly that answer, else null. */
  private static JsonNode sameEverywhere(StreamcastApp a, StreamcastApp b, String path) {
    JsonNode owner = ownerAnswer(a, b, path);
    try {
      for (StreamcastApp asked : List.of(a, b)) {
        HttpResponse<String> r = HttpProof.get(asked.httpPort(), path);
        if (owner == null || r.statusCode() != 200 || !owner.equals(JSON.readTree(r.body()))) {
          return null;
        }
      }
      return owner;
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  /** The answer of whichever instance owns the key ({@code &local}), or null while neither has it. */
  private static JsonNode ownerAnswer(StreamcastApp a, StreamcastApp b, String path) {
    try {
      for (StreamcastApp app : List.of(a, b)) {
        HttpResponse<String> r = HttpProof.get(app.httpPort(), path + "&local");
        if (r.statusCode() == 200) {
          return JSON.readTree(r.body());
        }
      }
      return null;
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private static StreamcastApp start(TestKafka kafka, Path state, PipelineSpec... specs) throws Exception {
    return StreamcastApp.start(java.util.Arrays.stream(specs)
        .map(s -> new StreamcastApp.Pipeline(s, HttpProof.settings(kafka, state))).toList());
  }
}
