package org.streamcast.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.streamcast.config.PipelineSpec;
import org.streamcast.kafka.TopicSpec;
import org.streamcast.metrics.HttpApi;
import org.streamcast.testing.Await;
import org.streamcast.testing.KafkaExtension;
import org.streamcast.testing.TestKafka;

/**
 * The HTTP port of a pipeline running on the broker, tried as a hostile or careless client would: many connections
 * that send half a request or nothing and stay open, keys with '+' and spaces, an unknown pipeline, the page's
 * headers.
 */
@ExtendWith(KafkaExtension.class)
class SlowClientIT {
  private static final Logger LOG = LoggerFactory.getLogger(SlowClientIT.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration PROBE_DEADLINE = Duration.ofSeconds(1);

  @Test
  void shouldAnswerHealthAndMetricsWithinASecondWhenMoreIdleConnectionsThanThreadsAreOpen(TestKafka kafka,
      @TempDir Path dir) throws Exception {
    String name = TestKafka.uniqueName("slow").replace('_', '-');
    PipelineSpec spec = HttpProof.spec(name);
    try (StreamcastApp app = StreamcastApp.start(List.of(new StreamcastApp.Pipeline(spec,
        HttpProof.settings(kafka, dir))))) {
      Await.await(app::isReady, Duration.ofSeconds(60), "pipeline running");
      int port = app.httpPort();
      HttpApi.Limits limits = HttpApi.Limits.DEFAULT;
      int threads = limits.serverThreads() + limits.queryThreads();
      int idle = 4 * threads;
      // warm up the client and the server's code paths first: the bound is on what idle connections cost
      assertEquals(200, HttpProof.get(port, "/health").statusCode());
      assertEquals(200, HttpProof.get(port, "/metrics").statusCode());
      List<Socket> sockets = new ArrayList<>();
      try {
        for (int i = 0; i < idle; i++) {
          Socket s = new Socket();
          s.connect(new InetSocketAddress("127.0.0.1", port), 2000);
          if (i % 3 == 1) { // half a request line
            s.getOutputStream().write("GET /health HT".getBytes(StandardCharsets.US_ASCII));
          } else if (i % 3 == 2) { // a request line and a header, never the blank line that ends them
            s.getOutputStream().write("GET /metrics HTTP/1.1\r\nHost: x\r\n".getBytes(StandardCharsets.US_ASCII));
          } // else nothing at all
          s.getOutputStream().flush();
          sockets.add(s);
        }
        for (int round = 0; round < 3; round++) {
          for (String path : List.of("/health", "/ready", "/metrics", "/forecasts/nobody")) {
            long start = System.nanoTime();
            HttpResponse<String> r = HttpProof.get(port, path, PROBE_DEADLINE); // throws after the deadline
            long ms = (System.nanoTime() - start) / 1_000_000;
            assertEquals(path.startsWith("/forecasts/") ? 404 : 200, r.statusCode(), path + ": " + r.body());
            LOG.info("{} with {} idle connections open: {} in {} ms", path, idle, r.statusCode(), ms);
          }
        }
        assertTrue(HttpProof.get(port, "/metrics").body().contains("streamcast_"), "real metrics");
        // the idle connections were all still open while the probes were answered
        for (Socket s : sockets) {
          s.setSoTimeout(50);
          assertThrows(SocketTimeoutException.class, () -> s.getInputStream().read(),
              "an idle connection is still open (neither answered nor closed yet)");
        }
        // and the server closes them after its idle timeout, answering none of them
        for (Socket s : sockets) {
          s.setSoTimeout((int) limits.idleTimeout().multipliedBy(3).toMillis());
          assertEquals(-1, readAnswer(s), "closed without an answer after the idle timeout");
        }
      } finally {
        for (Socket s : sockets) {
          s.close();
        }
      }
    }
  }

  private static int readAnswer(Socket s) throws IOException {
    return s.getInputStream().read();
  }

  @Test
  void shouldAnswerKeysWithPlusAndUnknownPipelinesAndSendPageHeadersWhenQueried(TestKafka kafka, @TempDir Path dir)
      throws Exception {
    String name = TestKafka.uniqueName("keys").replace('_', '-');
    PipelineSpec spec = HttpProof.spec(name);
    try (StreamcastApp app = StreamcastApp.start(List.of(new StreamcastApp.Pipeline(spec,
        HttpProof.settings(kafka, dir))))) {
      Await.await(app::isReady, Duration.ofSeconds(60), "pipeline running");
      int port = app.httpPort();
      // "a+b" and "a b" are two keys; a '+' in a path is a plus, only %20 is a space
      kafka.createTopic(TopicSpec.of(spec.input().topic(), 4));
      HttpProof.produce(kafka, spec.input().topic(), HttpProof.hours(List.of("a+b", "a b", "c"), 12, 10));
      for (String[] c : new String[][] {{"a+b", "a+b"}, {"a%2Bb", "a+b"}, {"a%20b", "a b"}}) {
        HttpResponse<String> r = Await.until(() -> {
          try {
            return HttpProof.get(port, "/state/" + c[0]);
          } catch (Exception e) {
            throw new AssertionError(e);
          }
        }, x -> x.statusCode() == 200, Duration.ofSeconds(60), "state of " + c[1]);
        JsonNode state = JSON.readTree(r.body());
        assertEquals(c[1], state.get("key").asText(), "/state/" + c[0]);
      }

      HttpResponse<String> unknown = HttpProof.get(port, "/forecasts/c?pipeline=nope");
      assertEquals(404, unknown.statusCode(), unknown.body());
      assertEquals("pipeline nope not found", JSON.readTree(unknown.body()).get("error").asText());
      assertEquals(404, HttpProof.get(port, "/state/c?pipeline=nope").statusCode());
      assertEquals(200, HttpProof.get(port, "/state/c?pipeline=" + name).statusCode());

      HttpResponse<String> page = HttpProof.get(port, "/");
      assertEquals(200, page.statusCode());
      String csp = page.headers().firstValue("Content-Security-Policy").orElse("");
      assertTrue(csp.startsWith("default-src 'none'; script-src 'sha256-"), csp);
      assertTrue(csp.contains("frame-ancestors 'none'") && csp.contains("connect-src 'self'"), csp);
      assertEquals("nosniff", page.headers().firstValue("X-Content-Type-Options").orElse(""));
      assertEquals("DENY", page.headers().firstValue("X-Frame-Options").orElse(""));
    }
  }
}
