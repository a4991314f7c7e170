package org.streamcast.topology;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.processor.TimestampExtractor;

/**
 * The record timestamp Kafka Streams runs on: the record's own, or for a record without one (−1, written by an old
 * client or a producer that set none, and accepted by the broker) its partition's time. Kafka Streams' default
 * extractor fails the whole client on such a record, again after every restart, since the record is read again; the
 * pipeline does not need it, as the event time travels in the event. The partition's time is a timestamp the broker
 * already accepted for the input, so records derived from it are accepted on the internal topics as well; before the
 * partition has any, the wall clock, which every broker's timestamp bounds accept.
 */
final class RecordTimestamps implements TimestampExtractor {

  @Override
  public long extract(ConsumerRecord<Object, Object> record, long partitionTime) {
    long ts = record.timestamp();
    if (ts >= 0) {
      return ts;
    }
    return partitionTime >= 0 ? partitionTime : System.currentTimeMillis();
  }
}
