package org.streamcast.cli;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Lets a long-running command stop cleanly on Ctrl-C (SIGINT) or SIGTERM and still exit with its own code (0), not
 * the JVM's 130/143.
 *
 * <p>The command calls {@link #install()}, {@link #await()}s, closes what it runs, calls {@link #done()} and returns
 * its exit code. SIGINT and SIGTERM are caught with the JDK's {@code sun.misc.Signal} (reached by reflection, because
 * javac warns about it and the build fails on warnings); a second signal ends the process at once (exit 1). A
 * shutdown hook covers every other way the JVM may end (SIGHUP, {@code System.exit} elsewhere): it wakes the command
 * and waits up to {@link #HOOK_GRACE} for it to call {@link #done()}.
 *
 * <p>The first signal always ends the process within {@link #STOP_GRACE}: a watchdog halts it (exit 1) if it is
 * still alive by then, whatever the command is doing (still starting, stuck closing a client, or already dead while
 * other threads keep the JVM up). {@link #done()} gives the signals back to the JVM's own handlers, so a signal
 * after the command has finished ends the process as it would without streamcast.
 */
final class StopSignal {

  /** How long the shutdown hook waits for the command to finish cleaning up. */
  static final Duration HOOK_GRACE = Duration.ofSeconds(30);
  /** How long after the first signal the process may take to end before it is halted. */
  static final Duration STOP_GRACE = Duration.ofSeconds(30);

  private final CountDownLatch stop = new CountDownLatch(1);
  private final CountDownLatch finished = new CountDownLatch(1);
  private final AtomicInteger signals = new AtomicInteger();
  private final java.util.Map<String, Object> previous = new java.util.concurrent.ConcurrentHashMap<>();
  private final Duration grace;
  private final Runnable halt;

  private StopSignal(Duration grace, Runnable halt) {
    this.grace = grace;
    this.halt = halt;
  }

  /** Installs the handlers; call once per command run. */
  static StopSignal install() {
    StopSignal s = new StopSignal(STOP_GRACE, () -> Runtime.getRuntime().halt(Streamcast.EXIT_FAILURE));
    s.handle("INT");
    s.handle("TERM");
    Thread hook = new Thread(() -> {
      s.stop.countDown();
      try {
        s.finished.await(HOOK_GRACE.toMillis(), TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "streamcast-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    return s;
  }

  /** Blocks until a stop signal arrives (or {@link #trigger()} is called). */
  void await() throws InterruptedException {
    stop.await();
  }

  /** Blocks until a stop signal arrives or {@code timeout} passes; true if a signal arrived. */
  boolean await(Duration timeout) throws InterruptedException {
    return stop.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Requests a stop from inside the process, as a signal would. */
  void trigger() {
    stop.countDown();
  }

  /** Tells a waiting shutdown hook that the command has cleaned up, and gives the signals back to the JVM. */
  void done() {
    finished.countDown();
    previous.forEach(StopSignal::restore);
    previous.clear();
  }

  /** A stop signal arrived: the command is woken; a second one, or {@code grace} later, the process ends. */
  void onSignal() {
    if (signals.incrementAndGet() > 1) {
      halt.run();
      return;
    }
    stop.countDown();
    Thread watchdog = new Thread(() -> {
      try {
        Thread.sleep(grace.toMillis());
      } catch (InterruptedException e) {
        return;
      }
      System.err.println("streamcast: still running " + grace.toSeconds() + " s after the stop signal; halting");
      halt.run();
    }, "streamcast-stop-watchdog");
    watchdog.setDaemon(true);
    watchdog.start();
  }

  /** A signal object for tests: {@code halt} replaces halting the JVM; no handler is installed. */
  static StopSignal forTest(Duration grace, Runnable halt) {
    return new StopSignal(grace, halt);
  }

  private static void restore(String name, Object handler) {
    try {
      Class<?> signalClass = Class.forName("sun.misc.Signal");
      Class<?> handlerClass = Class.forName("sun.misc.SignalHandler");
      Object signal = signalClass.getConstructor(String.class).newInstance(name);
      signalClass.getMethod("handle", signalClass, handlerClass).invoke(null, signal, handler);
    } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
      // the JVM keeps our handler; the watchdog still bounds the stop
    }
  }

  private void handle(String name) {
    try {
      Class<?> signalClass = Class.forName("sun.misc.Signal");
      Class<?> handlerClass = Class.forName("sun.misc.SignalHandler");
      InvocationHandler invocation = (proxy, method, args) -> switch (method.getName()) {
        case "handle" -> {
          onSignal();
          yield null;
        }
        case "hashCode" -> System.identityHashCode(proxy);
        case "equals" -> proxy == args[0];
        case "toString" -> "streamcast stop handler for SIG" + name;
        default -> null;
      };
      Object handler = Proxy.newProxyInstance(handlerClass.getClassLoader(), new Class<?>[] {handlerClass},
          invocation);
      Object signal = signalClass.getConstructor(String.class).newInstance(name);
      Object old = signalClass.getMethod("handle", signalClass, handlerClass).invoke(null, signal, handler);
      if (old != null) {
        previous.put(name, old);
      }
    } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
      // No signal API (or the signal is reserved, e.g. with -Xrs): the shutdown hook still stops the command
      // cleanly, only the exit code is then the JVM's.
    }
  }
}
