package org.streamcast.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.streamcast.kafka.Topics;
import org.streamcast.model.ArtifactFormat;
import org.streamcast.model.FeatureSpec;
import org.streamcast.model.ModelArtifact;
import org.streamcast.registry.ModelFollower;
import org.streamcast.registry.ModelTopic;
import org.streamcast.testing.Await;
import org.streamcast.testing.KafkaExtension;
import org.streamcast.testing.PoisonedArtifacts;
import org.streamcast.testing.TestKafka;

/**
 * A model follower whose thread dies of an {@link Error} on the real broker: it reports not following (the app's
 * {@code /ready} turns false), is restarted after its backoff past the record it died on, and takes the next model.
 */
@ExtendWith(KafkaExtension.class)
class FollowerSupervisorIT {
  private static final Duration WAIT = Duration.ofSeconds(60);

  @Test
  void shouldRestartPastTheFatalRecordWhenTheFollowerThreadDiesOfAnError(TestKafka kafka) throws Exception {
    String name = TestKafka.uniqueName("supervised").replace('_', '-');
    Topics.ensure(kafka.clientProps(), List.of(ModelTopic.spec()), WAIT);
    ModelArtifact model = PoisonedArtifacts.random(new FeatureSpec(FeatureSpec.Target.LEVEL, List.of(), List.of(),
        List.of(2), false, 2), Instant.parse("2026-01-01T00:00:00Z"), 7);
    List<Long> taken = new CopyOnWriteArrayList<>();
    List<Long> offered = new CopyOnWriteArrayList<>();
    ModelFollower.Listener listener = (pipeline, m, coordinates) -> {
      long v = m.orElseThrow().version();
      offered.add(v);
      if (v == 666) {
        throw new StackOverflowError("simulated: the follower thread dies");
      }
      taken.add(v);
      return Optional.empty();
    };
    try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(kafka.producerProps(), new StringSerializer(),
        new ByteArraySerializer());
         FollowerSupervisor supervisor = new FollowerSupervisor(() -> new ModelFollower(kafka.clientProps(),
             Set.of(name), null, ModelFollower.Rejections.NONE), listener)) {
      producer.send(new ProducerRecord<>(ModelTopic.NAME, name, ArtifactFormat.write(model, 100, null))).get();
      supervisor.start(WAIT);
      assertEquals(List.of(100L), taken, "caught up before following");
      assertTrue(supervisor.isFollowing());

      producer.send(new ProducerRecord<>(ModelTopic.NAME, name, ArtifactFormat.write(model, 666, null))).get();
      Await.await(() -> !supervisor.isFollowing(), WAIT, "the dead follower reported");
      producer.send(new ProducerRecord<>(ModelTopic.NAME, name, ArtifactFormat.write(model, 200, null))).get();
      Await.await(() -> taken.contains(200L), WAIT, "the next model taken by the restarted follower");
      assertTrue(supervisor.isFollowing());
      assertEquals(1, supervisor.restarts());
      assertEquals(List.of(100L, 666L, 200L), offered, "the fatal record is not offered again");
    }
  }
}
