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
