/** Reading series files (key,timestamp,value CSV) and the bundled datasets, and replaying them in event-time order. */
package org.streamcast.dataset;
