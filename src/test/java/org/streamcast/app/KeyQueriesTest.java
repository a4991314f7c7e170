package org.streamcast.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.streamcast.metrics.HttpApi;

/** Forwarding a key query to the instance that owns the key: the path it asks, and the bounds on the answer. */
class KeyQueriesTest {

  @Test
  void shouldKeepThePipelineAndEncodeTheKeyAsAPathWhenForwarding() {
    assertEquals("/state/a%2Bb%20c%2Fd?local&pipeline=second%20one",
        KeyQueries.forwardPath("/state/", "a+b c/d", "second one"));
    assertEquals("a+b c/d", HttpApi.decodePath("a%2Bb%20c%2Fd"));
  }

  @Test
  void shouldAnswer503WhenTheOwnStoreIsBetweenOwnersOrRestoring(
      @org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
    java.util.Properties props = new java.util.Properties();
    props.put(org.apache.kafka.streams.StreamsConfig.APPLICATION_ID_CONFIG, "q");
    props.put(org.apache.kafka.streams.StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:9");
    props.put(org.apache.kafka.streams.StreamsConfig.STATE_DIR_CONFIG, dir.toString());
    org.apache.kafka.streams.StreamsBuilder b = new org.apache.kafka.streams.StreamsBuilder();
    b.stream("in").to("out");
    org.apache.kafka.streams.state.HostInfo self = new org.apache.kafka.streams.state.HostInfo("127.0.0.1", 1);
    // never started: what a store query meets while its task is assigned but not running
    try (org.apache.kafka.streams.KafkaStreams streams = new org.apache.kafka.streams.KafkaStreams(b.build(), props) {
      @Override
      public <K> org.apache.kafka.streams.KeyQueryMetadata queryMetadataForKey(String store, K key,
          org.apache.kafka.common.serialization.Serializer<K> keySerializer) {
        return new org.apache.kafka.streams.KeyQueryMetadata(self, java.util.Set.of(), 0);
      }

      @Override
      public <T> T store(org.apache.kafka.streams.StoreQueryParameters<T> parameters) {
        throw new org.apache.kafka.streams.errors.InvalidStateStoreException("Cannot get state store "
            + parameters.storeName() + " because the stream thread is PARTITIONS_ASSIGNED, not RUNNING");
      }
    }) {
      HttpApi.Response r = new KeyQueries<String>(streams, "s", self, "p", "/state/", (k, v) -> v).get("k", false);
      assertEquals(503, r.status());
      assertEquals("{\"error\":\"store s is not available now (rebalancing or restoring); try again\"}",
          new String(r.body(), StandardCharsets.UTF_8));
    }
  }

  @Test
  void shouldPassTheOwnersAnswerOnWhenItIsSmallAndQuick() throws Exception {
    try (HttpApi owner = new HttpApi("127.0.0.1", 0, () -> "", () -> true)) {
      owner.route("/state/", (key, q) -> HttpApi.Response.json(200, "{\"key\":\"" + key + "\",\"q\":\"" + q + "\"}"));
      HttpApi.Response r = KeyQueries.forward(URI.create("http://127.0.0.1:" + owner.port()
          + KeyQueries.forwardPath("/state/", "k+1", "p")));
      assertEquals(200, r.status());
      assertEquals("{\"key\":\"k+1\",\"q\":\"local&pipeline=p\"}", new String(r.body(), StandardCharsets.UTF_8));
    }
  }

  @Test
  void shouldAnswer502WhenTheOwnersAnswerExceedsTheBound() throws Exception {
    try (HttpApi owner = new HttpApi("127.0.0.1", 0, () -> "", () -> true)) {
      byte[] huge = new byte[KeyQueries.MAX_FORWARDED_BYTES + 1];
      owner.route("/state/", (key, q) -> new HttpApi.Response(200, "application/json", huge));
      HttpApi.Response r = KeyQueries.forward(URI.create("http://127.0.0.1:" + owner.port() + "/state/k?local"));
      assertEquals(502, r.status());
      assertTrue(new String(r.body(), StandardCharsets.UTF_8).contains("more than 1048576 bytes"));
    }
  }

  @Test
  void shouldAnswer504WithinTheForwardTimeoutWhenTheOwnerDoesNotAnswer() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    try (HttpApi owner = new HttpApi("127.0.0.1", 0, () -> "", () -> true)) {
      owner.route("/state/", (key, q) -> {
        release.await();
        return HttpApi.Response.json(200, "{}");
      });
      long start = System.nanoTime();
      HttpApi.Response r = KeyQueries.forward(URI.create("http://127.0.0.1:" + owner.port() + "/state/k?local"));
      long ms = (System.nanoTime() - start) / 1_000_000;
      assertEquals(504, r.status());
      assertTrue(ms < KeyQueries.FORWARD_TIMEOUT.toMillis() * 3, "gave up after " + ms + " ms");
    } finally {
      release.countDown();
    }
  }
}
