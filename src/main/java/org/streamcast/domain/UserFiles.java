package org.streamcast.domain;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The one way a file a user names (a spec, a model artifact, a key, a Kafka properties file) is read whole: only a
 * regular file, and at most as many bytes as its kind can hold. A device ({@code /dev/zero}), a pipe without a writer
 * or a stray multi-gigabyte file would otherwise be read until memory runs out, or forever.
 */
public final class UserFiles {
  private UserFiles() {}

  /** A file that cannot be what it is named for; the message is one line naming the file. */
  public static final class Refused extends IOException {
    private static final long serialVersionUID = 1L;

    Refused(String message) {
      super(message);
    }
  }

  /**
   * The bytes of {@code file}, a regular file of at most {@code maxBytes} bytes.
   *
   * @param kind what the file is named for, for the message ("a pipeline spec")
   * @throws Refused when it is a directory, not a regular file or too large
   * @throws java.nio.file.NoSuchFileException when it does not exist (and the other I/O failures as they come)
   */
  public static byte[] read(Path file, int maxBytes, String kind) throws IOException {
    if (Files.isDirectory(file)) {
      throw new Refused(file + ": is a directory, not " + kind);
    }
    if (Files.exists(file) && !Files.isRegularFile(file)) {
      throw new Refused(file + ": is not a regular file (a device, a pipe or a socket), not " + kind);
    }
    long size = Files.size(file);
    if (size > maxBytes) {
      throw new Refused(file + ": is " + size + " bytes, more than " + kind + " may be (" + maxBytes + ")");
    }
    try (InputStream in = Files.newInputStream(file)) {
      byte[] bytes = in.readNBytes(maxBytes + 1);
      if (bytes.length > maxBytes) { // it grew while being read
        throw new Refused(file + ": is more than " + maxBytes + " bytes, more than " + kind + " may be");
      }
      return bytes;
    }
  }

  /**
   * The bytes of a stream a user points at (standard input), at most {@code maxBytes}: {@code < /dev/zero} or a
   * producer that never ends would otherwise be read until memory runs out.
   *
   * @param name what the stream is called in the message ("stdin")
   * @throws Refused when it holds more than {@code maxBytes} bytes
   */
  public static byte[] read(InputStream in, String name, int maxBytes, String kind) throws IOException {
    byte[] bytes = in.readNBytes(maxBytes + 1);
    if (bytes.length > maxBytes) {
      throw new Refused(name + ": is more than " + maxBytes + " bytes, more than " + kind + " may be");
    }
    return bytes;
  }
}
