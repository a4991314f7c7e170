package org.streamcast.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.helpers.MessageFormatter;

class ProgressTest {

  /** A logger that keeps its INFO lines. */
  private static Logger capturing(List<String> lines) {
    return (Logger) Proxy.newProxyInstance(Logger.class.getClassLoader(), new Class<?>[] {Logger.class},
        (proxy, method, args) -> {
          if (method.getName().equals("info") && args != null && args.length == 2 && args[1] instanceof Object[] a) {
            lines.add(MessageFormatter.arrayFormat((String) args[0], a).getMessage());
          }
          return method.getReturnType() == boolean.class ? Boolean.TRUE : null;
        });
  }

  @Test
  void shouldLogAtMostEveryTenSecondsAndOnceAtTheEndWhenNotATerminal() {
    List<String> lines = new ArrayList<>();
    long[] now = {0};
    try (Progress p = new Progress.LogLines("produce t", "rec", 1000, capturing(lines), () -> now[0])) {
      for (int i = 1; i <= 1000; i++) {
        now[0] += 25_000_000L;
        p.stepTo(i);
      }
    }
    assertEquals(Arrays.asList(
        "produce t: 400/1000 rec (40%), 40 rec/s",
        "produce t: 800/1000 rec (80%), 40 rec/s",
        "produce t: 1000/1000 rec (100%), 40 rec/s"), lines);
  }
}
