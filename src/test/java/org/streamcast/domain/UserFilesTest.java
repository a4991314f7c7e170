package org.streamcast.domain;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UserFilesTest {

  @Test
  void shouldReadTheBytesWhenARegularFileIsWithinItsBound(@TempDir Path dir) throws IOException {
    Path f = Files.write(dir.resolve("a.yaml"), new byte[] {1, 2, 3});
    assertArrayEquals(new byte[] {1, 2, 3}, UserFiles.read(f, 3, "a pipeline spec"));
  }

  @Test
  void shouldRefuseWithOneLineWhenTheFileIsLargerThanItsKindMayBe(@TempDir Path dir) throws IOException {
    Path f = Files.write(dir.resolve("big"), new byte[11]);
    IOException e = assertThrows(UserFiles.Refused.class, () -> UserFiles.read(f, 10, "a pipeline spec"));
    assertEquals(f + ": is 11 bytes, more than a pipeline spec may be (10)", e.getMessage());
  }

  @Test
  void shouldRefuseAtOnceWhenTheFileIsADeviceAPipeOrADirectory(@TempDir Path dir) throws Exception {
    assertEquals(dir + ": is a directory, not a model artifact",
        assertThrows(UserFiles.Refused.class, () -> UserFiles.read(dir, 10, "a model artifact")).getMessage());
    Path zero = Path.of("/dev/zero");
    assumeTrue(Files.exists(zero), "a Unix device");
    // endless: read whole it would fill memory
    assertEquals("/dev/zero: is not a regular file (a device, a pipe or a socket), not a model artifact",
        assertThrows(UserFiles.Refused.class, () -> UserFiles.read(zero, 10, "a model artifact")).getMessage());
    Path link = Files.createSymbolicLink(dir.resolve("link"), zero);
    assertThrows(UserFiles.Refused.class, () -> UserFiles.read(link, 10, "a model artifact"));
    Path fifo = dir.resolve("fifo");
    assumeTrue(new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor() == 0, "mkfifo");
    // a pipe without a writer: opening it would block forever
    assertThrows(UserFiles.Refused.class, () -> UserFiles.read(fifo, 10, "a pipeline spec"));
  }

  @Test
  void shouldSayNoSuchFileWhenItIsMissing(@TempDir Path dir) {
    assertThrows(NoSuchFileException.class, () -> UserFiles.read(dir.resolve("nope"), 10, "a pipeline spec"));
  }

  @Test
  void shouldStopReadingAStreamWhenItHoldsMoreThanItsBound() throws IOException {
    InputStream endless = new InputStream() { // /dev/zero as standard input
      @Override
      public int read() {
        return 0;
      }
    };
    UserFiles.Refused e = assertThrows(UserFiles.Refused.class, () -> UserFiles.read(endless, "stdin", 1000, "a csv"));
    assertEquals("stdin: is more than 1000 bytes, more than a csv may be", e.getMessage());
    assertArrayEquals(new byte[] {1, 2}, UserFiles.read(new ByteArrayInputStream(new byte[] {1, 2}), "stdin", 2, "x"));
  }
}
