package org.streamcast.training;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class SameDiffChatterTest {

  @Test
  void shouldDropOnlyNd4jPerOpLinesWhenInstalled() {
    PrintStream original = System.out;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    try {
      System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
      SameDiffChatter.install();
      SameDiffChatter.install();
      System.out.println("Added differentiated op matmul_3");
      System.out.println("trained lstm");
      System.out.println((String) null);
      System.out.print("Added differentiated op kept when not a println line\n");
    } finally {
      System.setOut(original);
    }
    assertEquals("trained lstm\nnull\nAdded differentiated op kept when not a println line\n",
        captured.toString(StandardCharsets.UTF_8).replace(System.lineSeparator(), "\n"));
  }
}
