package org.streamcast.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The process's memory: the Java heap after a full collection (live data), the heap the JVM holds, its maximum, and
 * the resident set size now and at its peak ({@code /proc/self/status}; -1 where there is no {@code /proc}).
 *
 * @param heapUsed      bytes of live heap after {@link System#gc()}
 * @param heapCommitted bytes of heap the JVM holds
 * @param heapMax       the heap's limit
 * @param rss           resident set size now
 * @param peakRss       the largest resident set size so far
 */
public record ProcessMemory(long heapUsed, long heapCommitted, long heapMax, long rss, long peakRss) {

  /** Measures now (runs a full collection first). */
  public static ProcessMemory sample() {
    System.gc();
    MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
    return new ProcessMemory(heap.getUsed(), heap.getCommitted(), heap.getMax(), status("VmRSS:"), status("VmHWM:"));
  }

  private static long status(String field) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith(field)) {
          String[] parts = line.substring(field.length()).trim().split("\\s+");
          return Long.parseLong(parts[0]) * 1024;
        }
      }
    } catch (IOException | RuntimeException e) {
      return -1;
    }
    return -1;
  }
}
