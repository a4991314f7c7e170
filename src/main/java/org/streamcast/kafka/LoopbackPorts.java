package org.streamcast.kafka;

import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.Arrays;

/** Ports on the loopback address for the embedded broker: free ones, and clear errors for taken ones. */
final class LoopbackPorts {

  private LoopbackPorts() {}

  /** Fails with a clear message when {@code port} cannot be bound on 127.0.0.1. */
  static void requireFree(int port, String what) {
    try (ServerSocket socket = new ServerSocket()) {
      socket.setReuseAddress(true);
      socket.bind(new InetSocketAddress(InetAddress.getByName(BrokerProperties.HOST), port));
    } catch (IOException e) {
      throw new IllegalStateException(what + " " + port + " is not available on " + BrokerProperties.HOST
          + " (another broker running? pick another port or 0 for a free one): " + e.getMessage(), e);
    }
  }

  /** A port that was free a moment ago (another process may take it before Kafka binds it). */
  static int freePort(int... avoid) throws IOException {
    for (int i = 0; i < 10; i++) {
      try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(BrokerProperties.HOST))) {
        int port = socket.getLocalPort();
        if (Arrays.stream(avoid).noneMatch(p -> p == port)) {
          return port;
        }
      }
    }
    throw new IOException("no free port on " + BrokerProperties.HOST);
  }

  /** Whether {@code e} (or a cause) says a port could not be bound. */
  static boolean isBindFailure(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof BindException || String.valueOf(t.getMessage()).contains("failed to bind")) {
        return true;
      }
    }
    return false;
  }
}
