package org.streamcast.registry;

import org.streamcast.kafka.TopicSpec;

/**
 * The topic models travel through: {@value #NAME}, log-compacted, key = pipeline name, value = the model artifact
 * ({@link org.streamcast.model.ArtifactFormat}); compaction keeps the latest model of every pipeline. A record with
 * a null value (a tombstone) withdraws a pipeline's model: its instances go back to the seasonal-naive baseline.
 *
 * <p>Compaction waits {@link #KEEP_HISTORY} ({@code min.compaction.lag.ms}) before it removes a superseded record:
 * without it the log cleaner kept only each pipeline's newest record once a segment rolled, so {@code models list}
 * lost the history and {@code models rollback} its targets, and a refused newest record (unsigned, unservable)
 * removed the good model before it, which a restarted instance then no longer found.
 *
 * <p>Size: the largest network the spec limits allow (4 LSTM layers of 256 units, 16 value fields, all calendar
 * features, 8 seasonal lags, horizon 1,000, whose head alone has 8.3 M weights) is about 10.1 M float32 parameters,
 * 41 MB; with the scalers of 200,000 keys an artifact stays below {@link #MAX_MESSAGE_BYTES} = 64 MiB, the topic's
 * {@code max.message.bytes} (checked by a test).
 * Kafka's socket request limit ({@code socket.request.max.bytes}, 100 MiB by default) is above it. The publisher
 * refuses a larger artifact with the sizes in the message.
 */
public final class ModelTopic {
  /** The topic's name. */
  public static final String NAME = "streamcast.models";
  /** The topic's {@code max.message.bytes}, and the producer's and consumer's request and fetch sizes. */
  public static final int MAX_MESSAGE_BYTES = 64 << 20;
  /** Room in a record batch beyond the artifact bytes (batch and record headers, key). */
  static final int BATCH_OVERHEAD = 64 << 10;
  /** How long every record stays, superseded or not, before compaction may remove it. */
  public static final java.time.Duration KEEP_HISTORY = java.time.Duration.ofDays(30);

  private ModelTopic() {}

  /** The topic as streamcast creates it when missing: one partition, compacted, large records. */
  public static TopicSpec spec() {
    return TopicSpec.compacted(NAME, 1)
        .with("max.message.bytes", Integer.toString(MAX_MESSAGE_BYTES))
        // the batch limit bounds compressed bytes; this bounds what one record may expand to in a reader
        .with("max.decompressed.message.bytes", Integer.toString(MAX_MESSAGE_BYTES))
        .with("retention.ms", "-1")
        .with("min.compaction.lag.ms", Long.toString(KEEP_HISTORY.toMillis()));
  }
}
