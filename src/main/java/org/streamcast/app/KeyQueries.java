package org.streamcast.app;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BiFunction;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.state.HostInfo;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.streamcast.metrics.HttpApi;

/**
 * Interactive queries for one key-value store of one pipeline, answered by any instance: a key this instance owns
 * is read from the local store; otherwise the request is forwarded over HTTP to the owner found with
 * {@link KafkaStreams#queryMetadataForKey}, with {@code ?local} so it is never forwarded twice and
 * {@code pipeline=NAME} so the owner answers from the same pipeline. The owner's answer is bounded: at most
 * {@link #MAX_FORWARDED_BYTES} and {@link #FORWARD_TIMEOUT} in all, else 502 or 504.
 *
 * @param <V> the store's value type
 */
public final class KeyQueries<V> {
  /** The largest answer taken from another instance (a key's state is a few KB). */
  static final int MAX_FORWARDED_BYTES = 1 << 20;
  /** How long the owner may take to answer, connection included. */
  static final Duration FORWARD_TIMEOUT = Duration.ofSeconds(3);

  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2))
      .followRedirects(HttpClient.Redirect.NEVER).build();

  private final KafkaStreams streams;
  private final String store;
  private final HostInfo self;
  private final String pipeline;
  private final String routePrefix;
  private final BiFunction<String, V, String> toJson;

  /**
   * @param streams     the pipeline's client
   * @param store       the store to read
   * @param self        this instance's {@code application.server}
   * @param pipeline    the pipeline's name, passed on when forwarding
   * @param routePrefix the HTTP route, e.g. {@code /forecasts/}
   * @param toJson      renders a key's value as JSON, or null when there is nothing to show (404)
   */
  public KeyQueries(KafkaStreams streams, String store, HostInfo self, String pipeline, String routePrefix,
      BiFunction<String, V, String> toJson) {
    this.streams = streams;
    this.store = store;
    this.self = self;
    this.pipeline = pipeline;
    this.routePrefix = routePrefix;
    this.toJson = toJson;
  }

  /** Answers {@code GET <prefix><key>[?local]}. */
  public HttpApi.Response get(String key, boolean localOnly) throws IOException, InterruptedException {
    KeyQueryMetadata meta = streams.queryMetadataForKey(store, key, Serdes.String().serializer());
    if (meta == null || KeyQueryMetadata.NOT_AVAILABLE.equals(meta)) {
      return HttpApi.Response.json(503, "{\"error\":\"store " + store + " is not available yet (rebalancing)\"}");
    }
    HostInfo owner = meta.activeHost();
    if (localOnly || owner.equals(self)) {
      V value;
      try {
        ReadOnlyKeyValueStore<String, V> kv = streams.store(
            StoreQueryParameters.fromNameAndType(store, QueryableStoreTypes.<String, V>keyValueStore())
                .withPartition(meta.partition()));
        value = kv.get(key);
      } catch (org.apache.kafka.streams.errors.InvalidStateStoreException e) {
        // the task is between owners or restoring: a passing state, as before the first assignment
        return HttpApi.Response.json(503, "{\"error\":\"store " + store + " is not available now (rebalancing or "
            + "restoring); try again\"}");
      }
      String json = value == null ? null : toJson.apply(key, value);
      return json == null ? HttpApi.Response.notFound("key " + key) : HttpApi.Response.json(200, json);
    }
    return forward(URI.create("http://" + owner.host() + ":" + owner.port() + forwardPath(routePrefix, key, pipeline)));
  }

  /** The path and query a request for {@code key} of {@code pipeline} is forwarded with. */
  static String forwardPath(String routePrefix, String key, String pipeline) {
    return routePrefix + encode(key) + "?local&pipeline=" + encode(pipeline);
  }

  /** Percent-encodes UTF-8 text for a path segment or query value ({@code +} and space included). */
  static String encode(String text) {
    return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
  }

  /** Asks another instance; its answer is bounded in size and time (502 or 504 beyond). */
  static HttpApi.Response forward(URI uri) throws IOException, InterruptedException {
    CompletableFuture<HttpResponse<byte[]>> call = HTTP.sendAsync(
        HttpRequest.newBuilder(uri).timeout(FORWARD_TIMEOUT).GET().build(),
        info -> new BoundedBody(MAX_FORWARDED_BYTES));
    try {
      HttpResponse<byte[]> r = call.get(FORWARD_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      String type = r.headers().firstValue("Content-Type").orElse("application/json");
      return new HttpApi.Response(r.statusCode(), type.startsWith("application/json") ? type : "application/json",
          r.body());
    } catch (TimeoutException e) {
      call.cancel(true);
      return HttpApi.Response.error(504, "owner " + uri.getAuthority() + " did not answer within "
          + FORWARD_TIMEOUT.toSeconds() + " s");
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof HttpTimeoutException) {
        return HttpApi.Response.error(504, "owner " + uri.getAuthority() + " did not answer within "
            + FORWARD_TIMEOUT.toSeconds() + " s");
      }
      if (cause instanceof TooLarge) {
        return HttpApi.Response.error(502, "owner " + uri.getAuthority() + " answered more than "
            + MAX_FORWARDED_BYTES + " bytes");
      }
      return HttpApi.Response.error(502, "owner " + uri.getAuthority() + " failed: " + cause);
    }
  }

  /** Thrown when an answer grows past its bound. */
  private static final class TooLarge extends IOException {
    private static final long serialVersionUID = 1L;

    TooLarge() {
      super("answer too large");
    }
  }

  /** Collects a body up to {@code max} bytes and cancels the exchange beyond it. */
  static final class BoundedBody implements HttpResponse.BodySubscriber<byte[]> {
    private final int max;
    private final CompletableFuture<byte[]> result = new CompletableFuture<>();
    private final List<ByteBuffer> parts = new ArrayList<>();
    private Flow.Subscription subscription;
    private int size;

    BoundedBody(int max) {
      this.max = max;
    }

    @Override
    public CompletionStage<byte[]> getBody() {
      return result;
    }

    @Override
    public void onSubscribe(Flow.Subscription s) {
      subscription = s;
      s.request(Long.MAX_VALUE);
    }

    @Override
    public void onNext(List<ByteBuffer> items) {
      for (ByteBuffer b : items) {
        size += b.remaining();
        if (size > max) {
          subscription.cancel();
          result.completeExceptionally(new TooLarge());
          return;
        }
        parts.add(b);
      }
    }

    @Override
    public void onError(Throwable t) {
      result.completeExceptionally(t);
    }

    @Override
    public void onComplete() {
      byte[] out = new byte[size];
      int at = 0;
      for (ByteBuffer b : parts) {
        int n = b.remaining();
        b.get(out, at, n);
        at += n;
      }
      result.complete(out);
    }
  }
}
