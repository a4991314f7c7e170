package org.streamcast.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.streams.errors.ProcessorStateException;
import org.junit.jupiter.api.Test;
import org.streamcast.testing.Await;
import picocli.CommandLine;

/** The process ends: an Error in a command is exit 1 with one line; the first stop signal ends it within a bound. */
class StopAndFatalTest {

  @CommandLine.Command(name = "boom")
  static final class Boom implements Callable<Integer> {
    @Override
    public Integer call() {
      throw new OutOfMemoryError("Java heap space");
    }
  }

  @Test
  void shouldExitOneWithOneLineWhenACommandThrowsAnError() {
    CommandLine cl = Streamcast.commandLine(new CliEnvironment(Map.of(), new ByteArrayInputStream(new byte[0]),
        false));
    cl.addSubcommand("boom", new Boom());
    StringWriter err = new StringWriter();
    cl.setErr(new PrintWriter(err));
    assertEquals(Streamcast.EXIT_FAILURE, Streamcast.execute(cl, "boom"));
    assertEquals("streamcast: fatal: java.lang.OutOfMemoryError: Java heap space", err.toString().strip());
  }

  @Test
  void shouldHaltWithinTheGraceWhenTheCommandDoesNotFinishAfterTheFirstSignal() throws Exception {
    AtomicInteger halts = new AtomicInteger();
    StopSignal stop = StopSignal.forTest(Duration.ofMillis(300), halts::incrementAndGet);
    stop.onSignal();
    assertTrue(stop.await(Duration.ZERO), "the command is woken at once");
    assertEquals(0, halts.get(), "not halted before the grace");
    Await.until(halts::get, n -> n == 1, Duration.ofSeconds(10), "halt after the grace");
  }

  @Test
  void shouldHaltAtOnceWhenASecondSignalArrives() {
    AtomicInteger halts = new AtomicInteger();
    StopSignal stop = StopSignal.forTest(Duration.ofHours(1), halts::incrementAndGet);
    stop.onSignal();
    assertEquals(0, halts.get());
    stop.onSignal();
    assertEquals(1, halts.get());
  }

  @Test
  void shouldNotHaltWhenNoSignalArrives() throws Exception {
    AtomicInteger halts = new AtomicInteger();
    StopSignal stop = StopSignal.forTest(Duration.ofMillis(1), halts::incrementAndGet);
    assertFalse(stop.await(Duration.ofMillis(200)));
    assertEquals(0, halts.get());
  }

  @Test
  void shouldSayWhatToDoWhenTheLocalStateCannotBeOpened() {
    String line = Streamcast.describe(new IllegalStateException("Error opening store forecast-key-state at location "
        + "/s/0_1/rocksdb/forecast-key-state",
        new ProcessorStateException("Error opening store forecast-key-state at location /s/0_1/rocksdb")));
    assertTrue(line.startsWith("Error opening store forecast-key-state at location /s/0_1/rocksdb/forecast-key-state "
        + "(the local state is damaged or locked"), line);
    assertEquals("plain", Streamcast.describe(new IllegalStateException("plain")));
  }

  @Test
  void shouldSayWhatToDoWhenAnInputTopicWasDeletedWhileRunning() {
    String line = Streamcast.describe(new org.apache.kafka.streams.errors.StreamsException("thread failed",
        new org.apache.kafka.streams.errors.MissingSourceTopicException(
            "One or more source topics were missing during rebalance")));
    assertEquals("thread failed (a topic the pipeline reads was deleted while it ran: create it again, then start "
        + "again)", line);
  }
}
