package org.streamcast.app;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
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
 * Interactive queries for one key-value store, answered by any instance: a key this instance owns is read from the
 * local store; otherwise the request is forwarded over HTTP to the owner found with
 * {@link KafkaStreams#queryMetadataForKey}, with {@code ?local} so it is never forwarded twice.
 *
 * @param <V> the store's value type
 */
public final class KeyQueries<V> {
  private final KafkaStreams streams;
  private final String store;
  private final HostInfo self;
  private final String routePrefix;
  private final BiFunction<String, V, String> toJson;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  /**
   * @param streams     the pipeline's client
   * @param store       the store to read
   * @param self        this instance's {@code application.server}
   * @param routePrefix the HTTP route, e.g. {@code /forecasts/}
   * @param toJson      renders a key's value as JSON, or null when there is nothing to show (404)
   */
  public KeyQueries(KafkaStreams streams, String store, HostInfo self, String routePrefix,
      BiFunction<String, V, String> toJson) {
    this.streams = streams;
    this.store = store;
    this.self = self;
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
      ReadOnlyKeyValueStore<String, V> kv = streams.store(
          StoreQueryParameters.fromNameAndType(store, QueryableStoreTypes.<String, V>keyValueStore())
              .withPartition(meta.partition()));
      V value = kv.get(key);
      String json = value == null ? null : toJson.apply(key, value);
      return json == null ? HttpApi.Response.notFound("key " + key) : HttpApi.Response.json(200, json);
    }
    URI uri = URI.create("http://" + owner.host() + ":" + owner.port() + routePrefix
        + URLEncoder.encode(key, StandardCharsets.UTF_8).replace("+", "%20") + "?local");
    HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).GET().build(),
        HttpResponse.BodyHandlers.ofByteArray());
    return new HttpApi.Response(r.statusCode(), "application/json", r.body());
  }
}
