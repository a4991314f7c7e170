/**
 * Model registry on Kafka: reading and writing the compacted model topic, champion/challenger decisions and hot-swap.
 */
package org.streamcast.registry;
