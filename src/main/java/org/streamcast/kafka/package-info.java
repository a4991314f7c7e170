/**
 * Kafka plumbing: the embedded single-node KRaft broker, admin helpers such as topic creation, the event producer
 * and the series topic's format ({@link org.streamcast.kafka.StepSerde}); it knows the domain values only.
 */
package org.streamcast.kafka;
