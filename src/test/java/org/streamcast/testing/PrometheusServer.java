package org.streamcast.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real Prometheus server (Debian's {@code prometheus} package, {@code /usr/bin/prometheus}) scraping the given
 * targets every second, with its HTTP API for queries. Its log goes to {@code prometheus.log} in its directory.
 *
 * <pre>{@code
 * try (PrometheusServer prom = PrometheusServer.start(dir, "streamcast", List.of("127.0.0.1:" + port))) {
 *   prom.awaitUp("streamcast", Duration.ofSeconds(30));
 *   JsonNode result = prom.query("sum(streamcast_records_in_total)");   // data.result
 * }
 * }</pre>
 */
public final class PrometheusServer implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private final Process process;
  private final int port;
  private final Path log;

  private PrometheusServer(Process process, int port, Path log) {
    this.process = process;
    this.port = port;
    this.log = log;
  }

  /**
   * Starts Prometheus with its data in {@code dir}, scraping {@code targets} (host:port) as job {@code job} every
   * second, and waits until it is ready.
   */
  public static PrometheusServer start(Path dir, String job, List<String> targets) throws IOException {
    Path binary = ExternalTools.require("prometheus", "prometheus");
    Path config = dir.resolve("prometheus.yml");
    Files.writeString(config, String.join("\n",
        "global:",
        "  scrape_interval: 1s",
        "  scrape_timeout: 1s",
        "scrape_configs:",
        "  - job_name: " + job,
        "    static_configs:",
        "      - targets: [" + String.join(", ", targets.stream().map(t -> "'" + t + "'").toList()) + "]",
        ""));
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    Path log = dir.resolve("prometheus.log");
    Process p = new ProcessBuilder(binary.toString(), "--config.file=" + config,
        "--storage.tsdb.path=" + dir.resolve("data"), "--web.listen-address=127.0.0.1:" + port,
        "--log.level=warn")
        .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    PrometheusServer server = new PrometheusServer(p, port, log);
    try {
      Await.await(server::isReady, Duration.ofSeconds(30), "Prometheus ready on port " + port + " (log: " + log + ")");
    } catch (AssertionError e) {
      server.close();
      throw e;
    }
    return server;
  }

  private boolean isReady() {
    if (!process.isAlive()) {
      throw new AssertionError("Prometheus exited with " + process.exitValue() + ": " + logText());
    }
    try {
      return get("/-/ready").statusCode() == 200;
    } catch (IOException e) {
      return false;
    }
  }

  /** The server's log so far. */
  public String logText() {
    try {
      return Files.readString(log);
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  /** Waits until {@code up{job}} is 1 for every target: Prometheus scrapes them. */
  public void awaitUp(String job, Duration timeout) {
    Await.await(() -> {
      JsonNode r = query("up{job=\"" + job + "\"}");
      if (r.isEmpty()) {
        return false;
      }
      for (JsonNode s : r) {
        if (!s.at("/value/1").asText().equals("1")) {
          return false;
        }
      }
      return true;
    }, timeout, "Prometheus scraping job " + job);
  }

  /**
   * Evaluates an instant query now and returns {@code data.result}.
   *
   * @throws AssertionError when Prometheus answers with an error (naming the expression and the error)
   */
  public JsonNode query(String expr) {
    try {
      HttpResponse<String> r = get("/api/v1/query?query=" + URLEncoder.encode(expr, StandardCharsets.UTF_8));
      JsonNode body = JSON.readTree(r.body());
      if (!"success".equals(body.path("status").asText())) {
        throw new AssertionError("query `" + expr + "` failed: " + body.path("errorType").asText() + ": "
            + body.path("error").asText());
      }
      return body.path("data").path("result");
    } catch (IOException e) {
      throw new AssertionError("query `" + expr + "` could not reach Prometheus: " + e, e);
    }
  }

  private HttpResponse<String> get(String path) throws IOException {
    try {
      return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
          .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }
}
