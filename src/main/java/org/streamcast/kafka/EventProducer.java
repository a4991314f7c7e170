package org.streamcast.kafka;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.function.IntConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.serialization.StringSerializer;
import org.streamcast.domain.Measurement;
import org.streamcast.domain.Observation;
import org.streamcast.domain.Timestamped;

/**
 * Sends events to a topic as JSON, {@code {"key": "s-1", "ts": "2000-06-05T00:00:00Z", "value": 22262.0}}, with the
 * series key as record key and the event time as record timestamp, each when its {@link Schedule} says it is due
 * (a replay's pace: {@code dataset.Replay#schedule}).
 * Durable by default: {@code acks=all}, idempotent, lz4-compressed batches; pass-through client properties win over
 * those defaults (serializers excepted).
 */
public final class EventProducer implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Producer<String, String> producer;

  /**
   * @param clientProperties Kafka client properties with {@code bootstrap.servers}
   * @param paced            whether events are paced (then batches are not held back for more records)
   */
  public EventProducer(Map<String, Object> clientProperties, boolean paced) {
    this.producer = new KafkaProducer<>(config(clientProperties, paced));
  }

  /** The producer configuration: streamcast's defaults, then the client properties, then the serializers. */
  public static Map<String, Object> config(Map<String, Object> clientProperties, boolean paced) {
    Map<String, Object> props = new LinkedHashMap<>();
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    props.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
    props.put(ProducerConfig.LINGER_MS_CONFIG, paced ? 0 : 20);
    props.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
    props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 30_000);
    props.put(ProducerConfig.CLIENT_ID_CONFIG, "streamcast-produce");
    props.putAll(clientProperties);
    props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    return props;
  }

  /** The JSON event of an observation: {@code {"key":..,"ts": ISO-8601,"value":..}}. */
  public static String json(Observation o) {
    ObjectNode node = JSON.createObjectNode();
    node.put("key", o.key());
    node.put("ts", o.time().toString());
    node.put("value", o.value());
    return node.toString();
  }

  /**
   * The JSON event of a row of a wide file, {@code {"key":..,"ts": ISO-8601,"<field>":..,...}}: value {@code i} under
   * {@code fields.get(i)}, in that order; a NaN value (an empty cell) leaves its field out.
   */
  public static String json(List<String> fields, Measurement m) {
    double[] values = m.values();
    if (values.length != fields.size()) {
      throw new IllegalArgumentException(values.length + " values for " + fields.size() + " fields " + fields);
    }
    ObjectNode node = JSON.createObjectNode();
    node.put("key", m.key());
    node.put("ts", m.time().toString());
    for (int i = 0; i < values.length; i++) {
      if (!Double.isNaN(values[i])) {
        node.put(fields.get(i), values[i]);
      }
    }
    return node.toString();
  }

  /** Holds each event back until it is due. */
  @FunctionalInterface
  public interface Schedule {
    /** Sends at once. */
    Schedule NOW = index -> {};

    /**
     * Waits until event {@code index} (from 0) is due.
     *
     * @throws InterruptedException when interrupted while waiting
     */
    void awaitDue(int index) throws InterruptedException;
  }

  /**
   * Sends every event when it is due, then waits until all are acknowledged.
   *
   * @param topic    the topic
   * @param events   the events, in the order to send
   * @param schedule holds each event until it is due
   * @param progress told the number of events handed to the producer so far, after each one
   * @param stop     checked before each event; true ends the replay early (what was sent is still flushed)
   * @return how many events were sent, how long it took, whether it was stopped
   * @throws InterruptedException when interrupted while waiting for an event to be due
   * @throws KafkaException       when the broker refuses an event, naming the topic and the event
   */
  public Result send(String topic, List<Observation> events, Schedule schedule, IntConsumer progress,
      BooleanSupplier stop) throws InterruptedException {
    return send(topic, events, EventProducer::json, schedule, progress, stop);
  }

  /**
   * {@link #send(String, List, Schedule, IntConsumer, BooleanSupplier)} for any events, each sent as {@code json}
   * renders it.
   */
  public <T extends Timestamped> Result send(String topic, List<T> events, Function<? super T, String> json,
      Schedule schedule, IntConsumer progress, BooleanSupplier stop) throws InterruptedException {
    AtomicReference<RuntimeException> failure = new AtomicReference<>();
    long start = System.nanoTime();
    int sent = 0;
    boolean stopped = false;
    for (T o : events) {
      if (stop.getAsBoolean()) {
        stopped = true;
        break;
      }
      throwIfFailed(failure);
      schedule.awaitDue(sent);
      int index = sent;
      ProducerRecord<String, String> record =
          new ProducerRecord<>(topic, null, o.time().toEpochMilli(), o.key(), json.apply(o));
      producer.send(record, (metadata, e) -> {
        if (e != null) {
          failure.compareAndSet(null, new KafkaException("producing to " + topic + " failed at event "
              + index + " (key " + o.key() + ", " + o.time() + "): " + e.getMessage(), e));
        }
      });
      sent++;
      progress.accept(sent);
    }
    producer.flush();
    throwIfFailed(failure);
    return new Result(sent, Duration.ofNanos(System.nanoTime() - start), stopped);
  }

  private static void throwIfFailed(AtomicReference<RuntimeException> failure) {
    RuntimeException e = failure.get();
    if (e != null) {
      throw e;
    }
  }

  @Override
  public void close() {
    producer.close(Duration.ofSeconds(10));
  }

  /**
   * What a replay sent.
   *
   * @param sent    events sent and acknowledged
   * @param elapsed wall-clock time from the first event to the last acknowledgement
   * @param stopped whether it was stopped before the end
   */
  public record Result(int sent, Duration elapsed, boolean stopped) {
    /** Events per second. */
    public double rate() {
      double seconds = elapsed.toNanos() / 1e9;
      return seconds > 0 ? sent / seconds : 0;
    }
  }
}
