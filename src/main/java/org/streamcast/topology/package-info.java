/** Pure builders from a pipeline spec to a Kafka Streams Topology: processors, store builders and serdes; no I/O of their own. */
package org.streamcast.topology;
