package org.streamcast.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.streamcast.testing.StreamcastProcess;

/** The {@code streamcast} launcher gives the Vector API module to the same commands as the tests' child JVMs. */
class LauncherScriptTest {

  @Test
  void shouldAddVectorModuleForModelCommandsOnlyWhenLaunching() throws IOException {
    List<String> lines = Files.readAllLines(OpsFiles.PROJECT.resolve("streamcast"));
    String pattern = lines.stream().map(String::strip).filter(l -> l.matches("[a-z|]+\\)")).findFirst()
        .orElseThrow(() -> new AssertionError("no case pattern of commands in the launcher"));
    Set<String> commands = new TreeSet<>(Arrays.asList(pattern.substring(0, pattern.length() - 1).split("\\|")));
    assertEquals(new TreeSet<>(StreamcastProcess.MODEL_COMMANDS), commands);
    assertTrue(lines.stream().anyMatch(l -> l.strip().equals("vector=\"--add-modules jdk.incubator.vector\"")));
    assertTrue(lines.stream().anyMatch(l -> l.startsWith("exec java ") && l.contains(" $vector ")));
  }
}
