package org.streamcast.kafka;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.Optional;
import java.util.Properties;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The embedded broker's data directory: checks before use, the stored cluster id, clean-up of temporary ones. */
final class DataDir {

  /** Written by the storage format; its presence marks a Kafka data directory. */
  static final String META_PROPERTIES = "meta.properties";

  private static final Logger LOG = LoggerFactory.getLogger(DataDir.class);

  private DataDir() {}

  /**
   * Checks that {@code dir} can hold the broker's data: it is missing, empty, or an existing Kafka data directory
   * (holds {@code meta.properties}).
   *
   * @throws IllegalArgumentException naming the directory and the problem
   */
  static void validate(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    if (!Files.isDirectory(dir)) {
      throw new IllegalArgumentException(dir + " is not a directory");
    }
    if (!Files.isWritable(dir)) {
      throw new IllegalArgumentException(dir + " is not writable");
    }
    if (Files.exists(dir.resolve(META_PROPERTIES))) {
      return;
    }
    try (Stream<Path> entries = Files.list(dir)) {
      if (entries.findAny().isPresent()) {
        throw new IllegalArgumentException(dir + " is not empty and holds no Kafka data (no " + META_PROPERTIES
            + "); use an empty or new directory");
      }
    } catch (IOException e) {
      throw new IllegalArgumentException(dir + " cannot be read: " + e.getMessage(), e);
    }
  }

  /** Validates, creates if missing and checks the lock; returns the absolute path. */
  static Path prepare(Path dir) throws IOException {
    validate(dir);
    Path created = Files.createDirectories(dir).toAbsolutePath();
    requireUnlocked(created);
    return created;
  }

  /**
   * Fails fast, with one clear line, when another broker (another process, or this JVM) holds the directory's
   * {@code .lock}; Kafka itself would fail later with an ERROR log and a stack trace.
   */
  static void requireUnlocked(Path dir) throws IOException {
    Path lockFile = dir.resolve(".lock");
    if (!Files.exists(lockFile)) {
      return;
    }
    try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.WRITE);
        FileLock lock = channel.tryLock()) {
      if (lock == null) {
        throw new IllegalStateException(dir + " is in use by another Kafka broker (its .lock is held)");
      }
    } catch (OverlappingFileLockException e) {
      throw new IllegalStateException(dir + " is in use by another Kafka broker in this JVM", e);
    }
  }

  /** The cluster id of an already formatted directory, so that a restart keeps it. */
  static Optional<String> readClusterId(Path dir) throws IOException {
    Path meta = dir.resolve(META_PROPERTIES);
    if (!Files.exists(meta)) {
      return Optional.empty();
    }
    Properties p = new Properties();
    try (InputStream in = Files.newInputStream(meta)) {
      p.load(in);
    }
    return Optional.ofNullable(p.getProperty("cluster.id"));
  }

  /** Deletes a temporary data directory; logs (does not throw) when that fails. */
  static void deleteRecursively(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> {
        try {
          Files.deleteIfExists(p);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
    } catch (IOException | UncheckedIOException e) {
      LOG.warn("could not delete the broker's temporary directory {}: {}", dir, e.getMessage());
    }
  }
}
