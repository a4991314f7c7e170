package org.streamcast.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * docker/Dockerfile: pinned multi-stage build, and the JVM flags and writable directories the app needs; a serving
 * image (target {@code serving}: the serving jar, no natives) and the full image (the default, last target).
 */
class DockerfileTest {
  private final List<String> lines = instructions();
  private final List<String> serving = stage("serving");
  private final List<String> full = stage("full");

  @Test
  void shouldPinEveryBaseImageWhenBuildingInStages() {
    List<String> from = lines.stream().filter(l -> l.startsWith("FROM ")).toList();
    assertEquals(3, from.size(), "build, serving and full stages: " + from);
    for (String f : from) {
      assertTrue(ComposeFileTest.isPinned(f.split("\\s+")[1]), f);
    }
    assertTrue(from.get(0).matches("FROM maven:[^ ]*-eclipse-temurin-17 AS build"), from.get(0));
    assertTrue(from.get(1).matches("FROM eclipse-temurin:17[^ ]*-jre[^ ]* AS serving"), from.get(1));
    // the last stage is what `docker build` without --target gives: every command, as before the split
    assertTrue(from.get(2).matches("FROM eclipse-temurin:17[^ ]*-jre[^ ]* AS full"), from.get(2));
  }

  @Test
  void shouldRunTheServingJarWithoutNativesWhenStartedAsTheServingImage() throws IOException {
    assertTrue(serving.contains("COPY --from=build /build/target/streamcast-serving.jar /app/streamcast-serving.jar"),
        serving.toString());
    assertEquals(List.of("java", "-XX:+UseParallelGC", "--add-modules", "jdk.incubator.vector", "-jar",
        "/app/streamcast-serving.jar"), entrypoint(serving));
    String setup = serving.stream().filter(l -> l.contains("mkdir -p")).findFirst().orElseThrow();
    assertTrue(setup.contains("/var/lib/streamcast/state") && !setup.contains("javacpp"), setup);
    assertTrue(!setup.contains("libgomp1"), "no OpenMP: the serving jar carries no ND4J natives: " + setup);
    assertTrue(setup.contains("java --list-modules | grep -q '^jdk\\.incubator\\.vector@'"), setup);
    assertTrue(serving.contains("USER streamcast"));
    String build = lines.stream().filter(l -> l.startsWith("RUN ") && l.contains("mvn ")).findFirst().orElseThrow();
    assertTrue(build.contains("test -f target/streamcast-serving.jar"), build);
  }

  @Test
  void shouldBuildWithTheProjectMavenConfigWhenPackaging() throws IOException {
    assertTrue(lines.contains("COPY .mvn/ .mvn/"), "the build needs .mvn/maven.config (javacpp.platform)");
    assertTrue(Files.readString(OpsFiles.PROJECT.resolve(".mvn/maven.config"))
        .contains("-Djavacpp.platform=linux-x86_64"));
    assertTrue(lines.stream().anyMatch(l -> l.startsWith("RUN ") && l.contains("mvn ") && l.contains(" package")));
    assertTrue(full.contains("COPY --from=build /build/target/streamcast.jar /app/streamcast.jar"));
  }

  @Test
  void shouldRunTheJarWithNativeFlagsWhenStartedAsEntrypoint() throws IOException {
    List<String> argv = entrypoint(full);
    String cacheDir = "/var/lib/streamcast/javacpp";
    assertEquals(List.of("java", "-XX:+UseParallelGC", "-Dorg.bytedeco.javacpp.maxPhysicalBytes=0",
        "--add-modules", "jdk.incubator.vector", "-Dorg.bytedeco.javacpp.cachedir=" + cacheDir, "-jar", "/app/streamcast.jar"), argv);
    String setup = full.stream().filter(l -> l.contains("mkdir -p")).findFirst().orElseThrow();
    assertTrue(setup.contains(cacheDir) && setup.contains("/var/lib/streamcast/state"), setup);
    assertTrue(setup.contains("chown -R streamcast:streamcast /var/lib/streamcast"), setup);
    assertTrue(setup.contains("java --list-modules | grep -q '^jdk\\.incubator\\.vector@'"),
        "the image build must fail when its JRE lacks the module the entrypoint adds: " + setup);
    assertTrue(full.contains("USER streamcast"));
  }

  @Test
  void shouldBindTheHttpPortOnEveryInterfaceWhenRunInTheImage() {
    // streamcast's own default is 127.0.0.1, which nothing outside the container could reach
    for (List<String> stage : List.of(serving, full)) {
      String env = stage.stream().filter(l -> l.startsWith("ENV ")).findFirst().orElseThrow();
      assertTrue(List.of(env.split("\\s+")).contains("STREAMCAST_HTTP_HOST=0.0.0.0"), env);
    }
  }

  private static List<String> entrypoint(List<String> stage) throws IOException {
    String entrypoint = stage.stream().filter(l -> l.startsWith("ENTRYPOINT ")).findFirst().orElseThrow();
    return List.of(new ObjectMapper().readValue(entrypoint.substring("ENTRYPOINT ".length()), String[].class));
  }

  /** The instructions of the stage named {@code name}, from its FROM to the next. */
  private List<String> stage(String name) {
    List<String> out = new ArrayList<>();
    boolean in = false;
    for (String l : lines) {
      if (l.startsWith("FROM ")) {
        in = l.endsWith(" AS " + name);
      }
      if (in) {
        out.add(l);
      }
    }
    assertTrue(!out.isEmpty(), "no stage " + name);
    return out;
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
