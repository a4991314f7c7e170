package org.streamcast.bench;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.LongConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.streamcast.kafka.EventProducer;

/**
 * Sends a range of the {@link Workload}'s events with the producer settings of {@code streamcast produce}
 * ({@link EventProducer#config}: acks=all, idempotent, lz4), as fast as the broker takes them or at a fixed rate,
 * and can note when each event was handed to the producer (for latencies).
 */
final class EventSender implements AutoCloseable {
  private static final int PROGRESS_EVERY = 2_000;

  private final Producer<String, String> producer;

  /**
   * @param clientProperties client properties with {@code bootstrap.servers}
   * @param paced            whether events will be paced (then batches are not held back: {@code linger.ms=0})
   */
  EventSender(Map<String, Object> clientProperties, boolean paced) {
    Map<String, Object> config = EventProducer.config(clientProperties, paced);
    config.put(ProducerConfig.CLIENT_ID_CONFIG, "streamcast-bench-" + (paced ? "paced" : "bulk"));
    this.producer = new KafkaProducer<>(config);
  }

  /**
   * Sends events {@code [from, to)} and waits until all are acknowledged.
   *
   * @param rate      events per second; 0 sends as fast as the broker takes them
   * @param sentAt    if not null, receives at index {@code i} the {@link System#nanoTime()} at which event {@code i}
   *                  was handed to the producer
   * @param progress  told how many events of the range were handed over so far
   * @param cancelled checked between events
   * @throws KafkaException       when the broker refuses an event
   * @throws InterruptedException when cancelled
   */
  void send(String topic, Workload w, int from, int to, double rate, AtomicLongArray sentAt, LongConsumer progress,
      BooleanSupplier cancelled) throws InterruptedException {
    AtomicReference<RuntimeException> failure = new AtomicReference<>();
    int keys = w.keys();
    boolean[] sentFirst = new boolean[w.partitions()];
    if (from == 0) {
      sendFirstOfEachPartition(topic, w, to, sentAt, sentFirst);
    }
    long start = System.nanoTime();
    double nanosPerEvent = rate > 0 ? 1e9 / rate : 0;
    for (int i = from; i < to; i++) {
      if ((i - from) % PROGRESS_EVERY == 0) {
        if (cancelled.getAsBoolean()) {
          throw new InterruptedException("cancelled");
        }
        RuntimeException e = failure.get();
        if (e != null) {
          throw e;
        }
        progress.accept(i - from);
      }
      int k = w.keyOf(i);
      if (i / keys == 0 && w.firstKeyOf(w.partition(k)) == k && sentFirst[w.partition(k)]) {
        continue;
      }
      if (rate > 0) {
        long due = start + (long) ((i - from) * nanosPerEvent);
        for (long wait = due - System.nanoTime(); wait > 0; wait = due - System.nanoTime()) {
          LockSupport.parkNanos(wait);
        }
      }
      ProducerRecord<String, String> record = new ProducerRecord<>(topic, w.partition(k), w.eventTimeOf(i),
          w.key(k), w.jsonOf(i));
      if (sentAt != null) {
        sentAt.set(i, System.nanoTime());
      }
      producer.send(record, (metadata, e) -> {
        if (e != null) {
          failure.compareAndSet(null, new KafkaException("producing to " + topic + " failed: " + e.getMessage(), e));
        }
      });
    }
    producer.flush();
    progress.accept(to - from);
    RuntimeException e = failure.get();
    if (e != null) {
      throw e;
    }
  }

  /**
   * Sends the first event of each partition of a topic that was just created, one at a time. A broker may still be
   * taking up the leadership of a new partition and answer NOT_LEADER_OR_FOLLOWER; with several batches in flight
   * the idempotent producer may then see a later batch accepted first, and the retried first one is refused as out
   * of sequence for good. With one event in flight the retry is clean. It is the partition's first event anyway,
   * so the order of events within each partition is unchanged.
   */
  private void sendFirstOfEachPartition(String topic, Workload w, int to, AtomicLongArray sentAt, boolean[] sent) {
    for (int p = 0; p < w.partitions(); p++) {
      int k = w.firstKeyOf(p);
      if (k < 0 || k >= to) {
        continue;
      }
      if (sentAt != null) {
        sentAt.set(k, System.nanoTime());
      }
      try {
        producer.send(new ProducerRecord<>(topic, p, Workload.eventTime(0), w.key(k), w.json(k, 0))).get();
      } catch (java.util.concurrent.ExecutionException e) {
        throw new KafkaException("producing to " + topic + " failed: " + e.getCause().getMessage(), e.getCause());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new KafkaException("interrupted while producing to " + topic, e);
      }
      sent[p] = true;
    }
  }

  @Override
  public void close() {
    producer.close(Duration.ofSeconds(10));
  }
}
