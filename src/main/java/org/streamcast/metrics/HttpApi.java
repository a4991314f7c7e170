package org.streamcast.metrics;

import java.io.IOException;
import java.net.URLDecoder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.UriCompliance;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.NetworkConnectionLimit;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The app's HTTP port: {@code GET /metrics} (Prometheus text), {@code /health}, {@code /ready}, and routes
 * registered by the app such as {@code /forecasts/{key}} and the built-in page {@code /}. Every response is small; a
 * handler that throws answers 500 with a one-line JSON error instead of killing the server.
 *
 * <p>Built so that no client can stall it ({@link Limits}): the server (Jetty, non-blocking I/O) reads request
 * headers without holding a thread, so an idle or half-sent request costs a socket, never a worker; connections are
 * bounded, and while the bound is reached idle ones are closed sooner; a connection without traffic is closed after
 * the idle timeout; headers are bounded in size. {@code /health}, {@code /ready} and {@code /metrics} are answered
 * on the server's own threads at once; every other route (which may wait on another instance) runs on a small
 * separate pool with a queue bound and a deadline, so slow queries never delay the probes. Every response carries
 * {@code X-Content-Type-Options: nosniff}, a restrictive Content-Security-Policy (a route may send its own) and
 * {@code frame-ancestors 'none'}.
 */
public final class HttpApi implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(HttpApi.class);
  /** The policy of responses that do not send their own: nothing may load, nothing may frame them. */
  static final String DEFAULT_CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

  /**
   * What bounds the server.
   *
   * @param maxConnections  open connections at most; further ones wait in the accept backlog
   * @param idleTimeout     a connection with no traffic for this long is closed (covers a request's headers)
   * @param busyIdleTimeout the idle timeout while {@code maxConnections} are open, to shed idle clients quickly
   * @param maxHeaderBytes  largest request line plus headers (431 above)
   * @param serverThreads   the server's threads (selector, acceptor, probes)
   * @param queryThreads    threads for the app's routes
   * @param queryQueue      app-route requests that may wait for a thread (503 beyond)
   * @param requestTimeout  an app route that has not answered by then gets 503
   */
  public record Limits(int maxConnections, Duration idleTimeout, Duration busyIdleTimeout, int maxHeaderBytes,
      int serverThreads, int queryThreads, int queryQueue, Duration requestTimeout) {
    /** The limits of every streamcast process. */
    public static final Limits DEFAULT = new Limits(256, Duration.ofSeconds(10), Duration.ofSeconds(1), 8 * 1024,
        8, 4, 64, Duration.ofSeconds(10));
  }

  /**
   * A response: status, content type, body and extra headers.
   *
   * @param headers headers to set besides Content-Type (e.g. a page's own Content-Security-Policy)
   */
  public record Response(int status, String contentType, byte[] body, Map<String, String> headers) {
    public Response {
      headers = Map.copyOf(headers);
    }

    /** A response without extra headers. */
    public Response(int status, String contentType, byte[] body) {
      this(status, contentType, body, Map.of());
    }

    /** A JSON response. */
    public static Response json(int status, String json) {
      return new Response(status, "application/json", json.getBytes(StandardCharsets.UTF_8));
    }

    /** 404 with a JSON error naming what was not found (its first {@value #ECHOED} characters). */
    public static Response notFound(String what) {
      return json(404, "{\"error\":\"" + escape(what.length() > ECHOED ? what.substring(0, ECHOED) + "…" : what)
          + " not found\"}");
    }

    /** The most characters of a request's path an error echoes. */
    static final int ECHOED = 256;

    /** A JSON error with {@code status}. */
    public static Response error(int status, String message) {
      return json(status, "{\"error\":\"" + escape(message) + "\"}");
    }
  }

  /**
   * Answers a GET whose path starts with a registered prefix; receives the rest of the path decoded as a URI path
   * ({@code %XX} are UTF-8 bytes, {@code +} stays {@code +}) and the raw query string ({@code null} when absent).
   */
  @FunctionalInterface
  public interface Route {
    Response get(String rest, String query) throws Exception;
  }

  private record Entry(Route route, boolean onServerThread) {}

  private final Limits limits;
  private final Server server;
  private final ServerConnector connector;
  private final ThreadPoolExecutor queries;
  private final Map<String, Entry> routes = new LinkedHashMap<>();

  /**
   * Starts the server on {@code host} ({@code 127.0.0.1}, {@code 0.0.0.0}, ...) and {@code port} (0 picks a free
   * port) with the {@linkplain Limits#DEFAULT default limits}.
   *
   * @param scrape the Prometheus text for {@code /metrics}
   * @param ready  whether the app is ready (streams running and a model or baseline loaded)
   */
  public HttpApi(String host, int port, Supplier<String> scrape, BooleanSupplier ready) throws IOException {
    this(host, port, scrape, ready, Limits.DEFAULT);
  }

  /** As {@link #HttpApi(String, int, Supplier, BooleanSupplier)} with other limits (tests). */
  public HttpApi(String host, int port, Supplier<String> scrape, BooleanSupplier ready, Limits limits)
      throws IOException {
    this.limits = limits;
    AtomicInteger n = new AtomicInteger();
    queries = new ThreadPoolExecutor(limits.queryThreads(), limits.queryThreads(), 30, TimeUnit.SECONDS,
        new ArrayBlockingQueue<>(limits.queryQueue()), r -> {
          Thread t = new Thread(r, "streamcast-http-query-" + n.incrementAndGet());
          t.setDaemon(true);
          return t;
        });
    queries.allowCoreThreadTimeOut(true);
    QueuedThreadPool threads = new QueuedThreadPool(limits.serverThreads(), 2);
    threads.setName("streamcast-http");
    threads.setDaemon(true);
    threads.setReservedThreads(0);
    server = new Server(threads);
    server.setStopTimeout(0);
    // errors the server answers itself (bad request line, headers too large): JSON, no stack, no version
    ErrorHandler errors = new ErrorHandler();
    errors.setShowStacks(false);
    errors.setShowCauses(false);
    errors.setDefaultResponseMimeType("application/json");
    server.setErrorHandler(errors);
    HttpConfiguration config = new HttpConfiguration();
    config.setSendServerVersion(false);
    config.setSendXPoweredBy(false);
    config.setRequestHeaderSize(limits.maxHeaderBytes());
    config.setIdleTimeout(limits.idleTimeout().toMillis());
    // keys may hold '/', '%' or '..' (encoded); they are store keys, never file paths, so ambiguity is harmless
    config.setUriCompliance(UriCompliance.LEGACY);
    connector = new ServerConnector(server, 1, 1, new HttpConnectionFactory(config));
    connector.setHost(host);
    connector.setPort(port);
    connector.setIdleTimeout(limits.idleTimeout().toMillis());
    server.addConnector(connector);
    NetworkConnectionLimit limit = new NetworkConnectionLimit(limits.maxConnections(), connector);
    limit.setEndPointIdleTimeout(limits.busyIdleTimeout().toMillis());
    server.addBean(limit);
    server.setHandler(new Handler.Abstract.NonBlocking() {
      @Override
      public boolean handle(Request request, org.eclipse.jetty.server.Response response, Callback callback) {
        HttpApi.this.handle(request, response, callback);
        return true;
      }
    });
    routes.put("/metrics", new Entry((rest, q) -> new Response(200, "text/plain; version=0.0.4; charset=utf-8",
        scrape.get().getBytes(StandardCharsets.UTF_8)), true));
    routes.put("/health", new Entry((rest, q) -> Response.json(200, "{\"status\":\"UP\"}"), true));
    routes.put("/ready", new Entry((rest, q) -> ready.getAsBoolean()
        ? Response.json(200, "{\"ready\":true}")
        : Response.json(503, "{\"ready\":false}"), true));
    try {
      server.start();
    } catch (Exception e) {
      close();
      throw new IOException("cannot serve HTTP on " + host + ":" + port + ": " + e.getMessage(), e);
    }
  }

  /**
   * Registers a GET route: {@code prefix} is an exact path ({@code /} itself included) or ends with '/' to take the
   * rest of the path. It runs on the query pool, never on the threads that answer the probes.
   */
  public HttpApi route(String prefix, Route route) {
    synchronized (routes) {
      routes.put(prefix, new Entry(route, false));
    }
    return this;
  }

  /** The bound port (useful when 0 was asked). */
  public int port() {
    return connector.getLocalPort();
  }

  /** The limits this server runs with. */
  public Limits limits() {
    return limits;
  }

  private void handle(Request request, org.eclipse.jetty.server.Response response, Callback callback) {
    String path = request.getHttpURI().getPath();
    String query = request.getHttpURI().getQuery();
    if (!"GET".equals(request.getMethod()) && !"HEAD".equals(request.getMethod())) {
      send(response, callback, Response.error(405, "only GET and HEAD are supported"));
      return;
    }
    Map.Entry<String, Entry> match = match(path == null ? "" : path);
    if (match == null) {
      send(response, callback, Response.notFound("path " + path));
      return;
    }
    Entry entry = match.getValue();
    String rest = path.substring(match.getKey().length());
    if (entry.onServerThread()) {
      send(response, callback, answer(entry.route(), path, rest, query));
      return;
    }
    CompletableFuture<Response> answer;
    try {
      answer = CompletableFuture.supplyAsync(() -> answer(entry.route(), path, rest, query), queries);
    } catch (RejectedExecutionException e) {
      send(response, callback, Response.error(503, "busy: too many queries in progress"));
      return;
    }
    answer.orTimeout(limits.requestTimeout().toMillis(), TimeUnit.MILLISECONDS)
        .whenComplete((r, e) -> send(response, callback, e == null ? r
            : e instanceof TimeoutException || e.getCause() instanceof TimeoutException
                ? Response.error(503, "no answer within " + limits.requestTimeout().toSeconds() + " s")
                : Response.error(500, String.valueOf(e.getMessage()))));
  }

  private Map.Entry<String, Entry> match(String rawPath) {
    Map.Entry<String, Entry> match = null;
    synchronized (routes) {
      for (Map.Entry<String, Entry> e : routes.entrySet()) {
        String prefix = e.getKey();
        boolean hit = prefix.endsWith("/") && prefix.length() > 1
            ? rawPath.startsWith(prefix) && rawPath.length() > prefix.length()
            : rawPath.equals(prefix);
        if (hit && (match == null || prefix.length() > match.getKey().length())) {
          match = e;
        }
      }
    }
    return match;
  }

  private static Response answer(Route route, String rawPath, String rawRest, String query) {
    String rest;
    try {
      rest = decodePath(rawRest);
    } catch (IllegalArgumentException e) {
      return Response.error(400, "malformed path: " + e.getMessage());
    }
    try {
      return route.get(rest, query);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Response.error(503, "interrupted");
    } catch (Exception e) {
      LOG.warn("HTTP GET {} failed: {}", rawPath, e.toString());
      return Response.error(500, String.valueOf(e.getMessage()));
    }
  }

  /**
   * Decodes a URI path segment: {@code %XX} escapes are UTF-8 bytes, {@code +} is a plus (not a space, as in a form).
   *
   * @throws IllegalArgumentException for a malformed escape
   */
  public static String decodePath(String raw) {
    return URLDecoder.decode(raw.replace("+", "%2B"), StandardCharsets.UTF_8);
  }

  private static void send(org.eclipse.jetty.server.Response response, Callback callback, Response r) {
    try {
      response.setStatus(r.status());
      HttpFields.Mutable h = response.getHeaders();
      h.put(HttpHeader.CONTENT_TYPE, r.contentType());
      h.put(HttpHeader.CACHE_CONTROL, "no-store");
      h.put("X-Content-Type-Options", "nosniff");
      h.put("X-Frame-Options", "DENY");
      h.put("Referrer-Policy", "no-referrer");
      h.put("Content-Security-Policy", DEFAULT_CSP);
      r.headers().forEach(h::put);
      h.put(HttpHeader.CONTENT_LENGTH, r.body().length);
      // HEAD (a load balancer's health check): the GET's status and headers, no body
      boolean head = "HEAD".equals(response.getRequest().getMethod());
      // asynchronous: a client that does not read its response holds no thread, only its idle timeout
      response.write(true, head ? ByteBuffer.allocate(0) : ByteBuffer.wrap(r.body()), callback);
    } catch (RuntimeException e) {
      callback.failed(e);
    }
  }

  /**
   * Escapes text for a JSON string literal; control characters, bidirectional formatting, line separators and
   * surrogates as {@code \\uXXXX}, so that echoed text (a requested key) cannot reorder or break what a terminal or
   * a log shows, and the JSON decodes to the same text.
   */
  public static String escape(String s) {
    StringBuilder b = new StringBuilder(s.length());
    for (char c : s.toCharArray()) {
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        case '\n' -> b.append("\\n");
        default -> {
          if (c < 0x20 || c >= 0x7f && c <= 0x9f || c >= 0x200e && c <= 0x200f || c >= 0x2028 && c <= 0x202e
              || c >= 0x2066 && c <= 0x2069 || Character.isSurrogate(c)) {
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
    try {
      server.stop();
    } catch (Exception e) {
      LOG.warn("stopping the HTTP server failed: {}", e.toString());
    }
    queries.shutdownNow();
  }
}
