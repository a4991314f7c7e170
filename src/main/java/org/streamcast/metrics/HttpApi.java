package org.streamcast.metrics;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The app's HTTP port (JDK HTTP server): {@code GET /metrics} (Prometheus text), {@code /health}, {@code /ready},
 * and routes registered by the app such as {@code /forecasts/{key}} and the built-in page {@code /}. Every response is small; a handler that
 * throws answers 500 with a one-line JSON error instead of killing the server.
 */
public final class HttpApi implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(HttpApi.class);

  /** A response: status, content type and body. */
  public record Response(int status, String contentType, byte[] body) {
    /** A JSON response. */
    public static Response json(int status, String json) {
      return new Response(status, "application/json", json.getBytes(StandardCharsets.UTF_8));
    }

    /** 404 with a JSON error naming what was not found. */
    public static Response notFound(String what) {
      return json(404, "{\"error\":\"" + escape(what) + " not found\"}");
    }
  }

  /**
   * Answers a GET whose path starts with a registered prefix; receives the decoded rest of the path and the raw
   * query string ({@code null} when absent).
   */
  @FunctionalInterface
  public interface Route {
    Response get(String rest, String query) throws Exception;
  }

  private final HttpServer server;
  private final ExecutorService executor;
  private final Map<String, Route> routes = new LinkedHashMap<>();

  /**
   * Starts the server on loopback-or-all {@code host} and {@code port} (0 picks a free port).
   *
   * @param scrape the Prometheus text for {@code /metrics}
   * @param ready  whether the app is ready (streams running and a model or baseline loaded)
   */
  public HttpApi(String host, int port, Supplier<String> scrape, BooleanSupplier ready) throws IOException {
    server = HttpServer.create(new InetSocketAddress(host, port), 0);
    executor = Executors.newFixedThreadPool(4, r -> {
      Thread t = new Thread(r, "streamcast-http");
      t.setDaemon(true);
      return t;
    });
    server.setExecutor(executor);
    route("/metrics", (rest, q) -> new Response(200, "text/plain; version=0.0.4; charset=utf-8",
        scrape.get().getBytes(StandardCharsets.UTF_8)));
    route("/health", (rest, q) -> Response.json(200, "{\"status\":\"UP\"}"));
    route("/ready", (rest, q) -> ready.getAsBoolean()
        ? Response.json(200, "{\"ready\":true}")
        : Response.json(503, "{\"ready\":false}"));
    server.createContext("/", this::handle);
    server.start();
  }

  /**
   * Registers a GET route: {@code prefix} is an exact path ({@code /} itself included) or ends with '/' to take the
   * rest of the path.
   */
  public HttpApi route(String prefix, Route route) {
    synchronized (routes) {
      routes.put(prefix, route);
    }
    return this;
  }

  /** The bound port (useful when 0 was asked). */
  public int port() {
    return server.getAddress().getPort();
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      Response response;
      if (!"GET".equals(exchange.getRequestMethod())) {
        response = Response.json(405, "{\"error\":\"only GET is supported\"}");
      } else {
        String path = exchange.getRequestURI().getRawPath();
        response = dispatch(path, exchange.getRequestURI().getRawQuery()).orElseGet(() -> Response.notFound("path " + path));
      }
      exchange.getResponseHeaders().set("Content-Type", response.contentType());
      exchange.getResponseHeaders().set("Cache-Control", "no-store");
      exchange.sendResponseHeaders(response.status(), response.body().length == 0 ? -1 : response.body().length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(response.body());
      }
    }
  }

  private Optional<Response> dispatch(String rawPath, String query) {
    Map.Entry<String, Route> match = null;
    synchronized (routes) {
      for (Map.Entry<String, Route> e : routes.entrySet()) {
        String prefix = e.getKey();
        boolean hit = prefix.endsWith("/") && prefix.length() > 1
            ? rawPath.startsWith(prefix) && rawPath.length() > prefix.length()
            : rawPath.equals(prefix);
        if (hit && (match == null || prefix.length() > match.getKey().length())) {
          match = e;
        }
      }
    }
    if (match == null) {
      return Optional.empty();
    }
    String rest = URLDecoder.decode(rawPath.substring(match.getKey().length()), StandardCharsets.UTF_8);
    try {
      return Optional.of(match.getValue().get(rest, query));
    } catch (Exception e) {
      LOG.warn("HTTP GET {} failed: {}", rawPath, e.toString());
      return Optional.of(Response.json(500, "{\"error\":\"" + escape(String.valueOf(e.getMessage())) + "\"}"));
    }
  }

  /** Escapes text for a JSON string literal. */
  public static String escape(String s) {
    StringBuilder b = new StringBuilder(s.length());
    for (char c : s.toCharArray()) {
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        case '\n' -> b.append("\\n");
        default -> {
          if (c < 0x20) {
            b.append(String.format("\\u%04x", (int) c));
          } else {
            b.append(c);
          }
        }
      }
    }
    return b.toString();
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
