package org.streamcast.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import org.junit.jupiter.api.Test;

/** docker/Dockerfile: pinned multi-stage build, and the JVM flags and writable directories the app needs. */
class DockerfileTest {
  private final List<String> lines = instructions();

  @Test
  void shouldPinEveryBaseImageWhenBuildingInStages() {
    List<String> from = lines.stream().filter(l -> l.startsWith("FROM ")).toList();
    assertEquals(2, from.size(), "build and runtime stages: " + from);
    for (String f : from) {
      assertTrue(ComposeFileTest.isPinned(f.split("\\s+")[1]), f);
    }
    assertTrue(from.get(0).matches("FROM maven:[^ ]*-eclipse-temurin-17 AS build"), from.get(0));
    assertTrue(from.get(1).matches("FROM eclipse-temurin:17[^ ]*-jre[^ ]*"), from.get(1));
  }

  @Test
  void shouldBuildWithTheProjectMavenConfigWhenPackaging() throws IOException {
    assertTrue(lines.contains("COPY .mvn/ .mvn/"), "the build needs .mvn/maven.config (javacpp.platform)");
    assertTrue(Files.readString(OpsFiles.PROJECT.resolve(".mvn/maven.config"))
        .contains("-Djavacpp.platform=linux-x86_64"));
    assertTrue(lines.stream().anyMatch(l -> l.startsWith("RUN ") && l.contains("mvn ") && l.contains(" package")));
    assertTrue(lines.contains("COPY --from=build /build/target/streamcast.jar /app/streamcast.jar"));
  }

  @Test
  void shouldRunTheJarWithNativeFlagsWhenStartedAsEntrypoint() throws IOException {
    String entrypoint = lines.stream().filter(l -> l.startsWith("ENTRYPOINT ")).findFirst().orElseThrow();
    List<String> argv = List.of(new ObjectMapper().readValue(entrypoint.substring("ENTRYPOINT ".length()),
        String[].class));
    String cacheDir = "/var/lib/streamcast/javacpp";
    assertEquals(List.of("java", "-XX:+UseParallelGC", "-Dorg.bytedeco.javacpp.maxPhysicalBytes=0",
        "--add-modules", "jdk.incubator.vector", "-Dorg.bytedeco.javacpp.cachedir=" + cacheDir, "-jar", "/app/streamcast.jar"), argv);
    String setup = lines.stream().filter(l -> l.contains("mkdir -p")).findFirst().orElseThrow();
    assertTrue(setup.contains(cacheDir) && setup.contains("/var/lib/streamcast/state"), setup);
    assertTrue(setup.contains("chown -R streamcast:streamcast /var/lib/streamcast"), setup);
    assertTrue(setup.contains("java --list-modules | grep -q '^jdk\\.incubator\\.vector@'"),
        "the image build must fail when its JRE lacks the module the entrypoint adds: " + setup);
    assertTrue(lines.contains("USER streamcast"));
  }

  @Test
  void shouldBindTheHttpPortOnEveryInterfaceWhenRunInTheImage() {
    // streamcast's own default is 127.0.0.1, which nothing outside the container could reach
    String env = lines.stream().filter(l -> l.startsWith("ENV ")).findFirst().orElseThrow();
    assertTrue(List.of(env.split("\\s+")).contains("STREAMCAST_HTTP_HOST=0.0.0.0"), env);
  }

  /** Instructions with continuation lines joined and comments dropped. */
  private static List<String> instructions() {
    try {
      String text = Files.readString(OpsFiles.DOCKERFILE).replaceAll("\\\\\\n\\s*", " ");
      return text.lines().map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
