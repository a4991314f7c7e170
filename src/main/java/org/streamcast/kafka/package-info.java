/** Kafka plumbing: the embedded single-node KRaft broker and admin helpers such as topic creation. */
package org.streamcast.kafka;
