package org.streamcast.topology;

/**
 * Where an input record came from, with its original bytes, so a later rejection can dead-letter it unchanged.
 *
 * @param key       original key bytes (may be null)
 * @param value     original value bytes (may be null)
 * @param topic     source topic
 * @param partition source partition
 * @param offset    source offset
 */
public record SourceRecord(byte[] key, byte[] value, String topic, int partition, long offset) {}
