package org.streamcast.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.streamcast.testing.Await;

/** The HTTP port's mechanics on loopback: path decoding, status codes, headers, bounds on slow clients and routes. */
class HttpApiTest {
  private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private static final HttpApi.Limits SMALL = new HttpApi.Limits(64, Duration.ofMillis(500), Duration.ofMillis(200),
      1024, 8, 2, 2, Duration.ofSeconds(1));

  private final List<AutoCloseable> open = new ArrayList<>();

  @AfterEach
  void closeAll() throws Exception {
    for (AutoCloseable c : open) {
      c.close();
    }
  }

  private HttpApi start(HttpApi.Limits limits) throws Exception {
    HttpApi api = new HttpApi("127.0.0.1", 0, () -> "# metrics\n", () -> true, limits);
    open.add(api);
    api.route("/echo/", (rest, query) -> HttpApi.Response.json(200, "{\"key\":\"" + HttpApi.escape(rest) + "\"}"));
    return api;
  }

  private static HttpResponse<String> get(HttpApi api, String pathAndQuery) throws Exception {
    return CLIENT.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + api.port() + pathAndQuery))
        .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "a+b|a+b",
      "a%2Bb|a+b",
      "a%20b|a b",
      "a%2Fb|a/b",
      "50%25|50%",
      "%C3%A9t%C3%A9|été",
      "%2E%2E|..",
      "k-1|k-1"})
  void shouldDecodeThePathAsAUriPathWhenAKeyHasSpecialCharacters(String raw, String key) throws Exception {
    HttpApi api = start(HttpApi.Limits.DEFAULT);
    HttpResponse<String> r = get(api, "/echo/" + raw);
    assertEquals(200, r.statusCode(), r.body());
    assertEquals("{\"key\":\"" + key + "\"}", r.body());
  }

  @Test
  void shouldNameHostAndPortWhenThePortIsTaken() throws Exception {
    HttpApi first = start(HttpApi.Limits.DEFAULT);
    java.io.IOException e = org.junit.jupiter.api.Assertions.assertThrows(java.io.IOException.class,
        () -> new HttpApi("127.0.0.1", first.port(), () -> "", () -> true));
    assertTrue(e.getMessage().startsWith("cannot serve HTTP on 127.0.0.1:" + first.port() + ": "), e.getMessage());
  }

  @Test
  void shouldAnswer400WhenAPathEscapeIsMalformed() throws Exception {
    HttpApi api = start(HttpApi.Limits.DEFAULT);
    try (Socket s = new Socket("127.0.0.1", api.port())) {
      s.setSoTimeout(5_000);
      s.getOutputStream().write("GET /echo/a%zz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
          .getBytes(StandardCharsets.US_ASCII));
      String answer = new String(s.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
      assertTrue(answer.startsWith("HTTP/1.1 400 "), answer);
    }
  }

  @Test
  void shouldAnswer431WhenTheHeadersExceedTheBound() throws Exception {
    HttpApi api = start(SMALL);
    HttpResponse<String> r = CLIENT.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + api.port()
        + "/health")).header("X-Padding", "x".repeat(2 * SMALL.maxHeaderBytes())).build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(431, r.statusCode());
    assertTrue(!r.body().contains("Jetty") && !r.body().contains("at org."), "no version, no stack: " + r.body());
    assertEquals(200, get(api, "/health").statusCode());
  }

  @Test
  void shouldEscapeFormattingCharactersAndCutLongNamesWhenEchoingThemInAnError() throws Exception {
    assertEquals("a\\u202eb\\u0085c\\u2028d\\ud800\\u007fé", HttpApi.escape("a\u202Eb\u0085c\u2028d\uD800\u007Fé"));
    String body = new String(HttpApi.Response.notFound("key " + "k".repeat(7_000)).body(), StandardCharsets.UTF_8);
    assertEquals("{\"error\":\"key " + "k".repeat(HttpApi.Response.ECHOED - 4) + "… not found\"}", body);
    String bidi = new String(HttpApi.Response.notFound("key a\u202Eb").body(), StandardCharsets.UTF_8);
    assertEquals("{\"error\":\"key a\\u202eb not found\"}", bidi, "the raw override never reaches the client");
  }

  @Test
  void shouldAnswer404And405WhenThePathOrMethodIsUnknown() throws Exception {
    HttpApi api = start(HttpApi.Limits.DEFAULT);
    assertEquals(404, get(api, "/nowhere").statusCode());
    HttpResponse<String> post = CLIENT.send(HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + api.port() + "/health")).POST(HttpRequest.BodyPublishers.ofString("x"))
        .build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(405, post.statusCode());
  }

  @Test
  void shouldAnswerHeadWithTheGetsStatusAndLengthAndNoBodyWhenAHealthCheckAsks() throws Exception {
    HttpApi api = start(HttpApi.Limits.DEFAULT);
    HttpResponse<String> get = get(api, "/health");
    HttpResponse<String> head = CLIENT.send(HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + api.port() + "/health")).method("HEAD", HttpRequest.BodyPublishers.noBody())
        .build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(get.statusCode(), head.statusCode());
    assertEquals(get.headers().firstValue("Content-Length"), head.headers().firstValue("Content-Length"));
    assertTrue(get.body().length() > 0);
    assertEquals("", head.body());
    assertEquals(404, CLIENT.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + api.port() + "/nowhere"))
        .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString())
        .statusCode());
  }

  @Test
  void shouldSendNosniffAndAFramingBanWhenAnswering() throws Exception {
    HttpApi api = start(HttpApi.Limits.DEFAULT);
    api.route("/", (rest, q) -> new HttpApi.Response(200, "text/html", "<p>x</p>".getBytes(StandardCharsets.UTF_8),
        java.util.Map.of("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'; script-src 'x'")));
    HttpResponse<String> health = get(api, "/health");
    assertEquals("nosniff", health.headers().firstValue("X-Content-Type-Options").orElse(""));
    assertEquals(HttpApi.DEFAULT_CSP, health.headers().firstValue("Content-Security-Policy").orElse(""));
    assertEquals("DENY", health.headers().firstValue("X-Frame-Options").orElse(""));
    assertTrue(health.headers().firstValue("Server").isEmpty(), "no server banner");
    HttpResponse<String> page = get(api, "/");
    assertEquals(List.of("default-src 'none'; frame-ancestors 'none'; script-src 'x'"),
        page.headers().allValues("Content-Security-Policy"), "a route's own policy replaces the default");
  }

  @Test
  void shouldCloseAConnectionWhenItSendsNothingForTheIdleTimeout() throws Exception {
    HttpApi api = start(SMALL);
    try (Socket silent = new Socket()) {
      silent.connect(new InetSocketAddress("127.0.0.1", api.port()), 2000);
      silent.getOutputStream().write("GET /health HTTP/1.1\r\nHo".getBytes(StandardCharsets.US_ASCII));
      silent.setSoTimeout(10_000);
      InputStream in = silent.getInputStream();
      long start = System.nanoTime();
      assertEquals(-1, in.read(), "closed by the server without an answer");
      long ms = (System.nanoTime() - start) / 1_000_000;
      assertTrue(ms < 5_000, "closed after the 500 ms idle timeout, not " + ms + " ms");
    }
  }

  @Test
  void shouldAnswerProbesWhenEveryQueryThreadIsStuck() throws Exception {
    HttpApi api = start(SMALL);
    CountDownLatch release = new CountDownLatch(1);
    api.route("/slow", (rest, q) -> {
      release.await();
      return HttpApi.Response.json(200, "{}");
    });
    try {
      // two threads and two queue places: the first four wait, the fifth is turned away at once
      List<CompletableFuture<HttpResponse<String>>> slow = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        slow.add(CLIENT.sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + api.port() + "/slow"))
            .build(), HttpResponse.BodyHandlers.ofString()));
      }
      AtomicReference<HttpResponse<String>> fifth = new AtomicReference<>();
      Await.await(() -> {
        try {
          fifth.set(get(api, "/slow"));
          return fifth.get().statusCode() == 503 && fifth.get().body().contains("busy");
        } catch (Exception e) {
          return false;
        }
      }, Duration.ofSeconds(10), "a query beyond the pool and its queue turned away");
      assertEquals(200, get(api, "/health").statusCode());
      assertEquals(200, get(api, "/ready").statusCode());
      assertEquals(200, get(api, "/metrics").statusCode());
      // the stuck ones get 503 at the request deadline (1 s), not never
      for (CompletableFuture<HttpResponse<String>> f : slow) {
        assertEquals(503, f.get().statusCode());
      }
    } finally {
      release.countDown();
    }
  }
}
