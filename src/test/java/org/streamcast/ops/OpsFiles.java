package org.streamcast.ops;

import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.streamcast.testing.DashboardQueries;

/** The deployment files under test, their parsers, and {@code promtool}. */
final class OpsFiles {
  static final Path PROJECT = DashboardQueries.projectDirectory();
  static final Path DOCKER = PROJECT.resolve("docker");
  static final Path COMPOSE = DOCKER.resolve("docker-compose.yml");
  static final Path PROMETHEUS = DOCKER.resolve("prometheus.yml");
  static final Path DOCKERFILE = DOCKER.resolve("Dockerfile");
  static final Path GRAFANA = PROJECT.resolve("grafana");
  static final Path DASHBOARDS = PROJECT.resolve(DashboardQueries.DIRECTORY);
  static final Path DATASOURCE = GRAFANA.resolve("provisioning/datasources/prometheus.yaml");
  static final Path DASHBOARD_PROVIDER = GRAFANA.resolve("provisioning/dashboards/streamcast.yaml");

  private static final ObjectMapper YAML = new YAMLMapper();
  private static final ObjectMapper JSON = new ObjectMapper();

  private OpsFiles() {}

  static JsonNode yaml(Path file) {
    try {
      return YAML.readTree(file.toFile());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot parse " + file + " as YAML", e);
    }
  }

  static JsonNode json(Path file) {
    try {
      return JSON.readTree(file.toFile());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot parse " + file + " as JSON", e);
    }
  }

  /** Text items of a node that is a list or a single scalar. */
  static List<String> texts(JsonNode node) {
    List<String> out = new ArrayList<>();
    if (node.isArray()) {
      node.forEach(n -> out.add(n.asText()));
    } else if (!node.isMissingNode() && !node.isNull()) {
      out.add(node.asText());
    }
    return out;
  }

  /** Result of one promtool run. */
  record Run(int exitCode, String output) {}

  /**
   * Runs {@code promtool args...} in the project directory. Without promtool on the PATH the calling test fails
   * when the variable {@code CI} is set (CI installs Debian's {@code prometheus} package) and is skipped otherwise.
   */
  static Run promtool(String... args) throws IOException, InterruptedException {
    Path promtool = onPath("promtool");
    if (promtool == null) {
      String ci = System.getenv("CI");
      if (ci != null && !ci.isEmpty()) {
        fail("promtool is not on the PATH, but CI is set: install Debian's prometheus package");
      }
      Assumptions.abort("promtool is not installed (apt-get install prometheus); skipped outside CI");
    }
    List<String> command = new ArrayList<>(List.of(promtool.toString()));
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).directory(PROJECT.toFile()).redirectErrorStream(true).start();
    byte[] out = p.getInputStream().readAllBytes();
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      fail("promtool " + String.join(" ", args) + " did not finish within 60 s");
    }
    return new Run(p.exitValue(), new String(out, StandardCharsets.UTF_8));
  }

  private static Path onPath(String name) {
    String path = System.getenv("PATH");
    if (path == null) {
      return null;
    }
    for (String dir : path.split(java.io.File.pathSeparator)) {
      Path candidate = Path.of(dir, name);
      if (Files.isExecutable(candidate)) {
        return candidate;
      }
    }
    return null;
  }
}
