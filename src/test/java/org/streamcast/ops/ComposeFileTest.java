package org.streamcast.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.streamcast.config.PipelineSpec;
import org.streamcast.config.SpecLoader;

/** docker/docker-compose.yml: parses, pins its images, and its parts refer to each other and to files that exist. */
class ComposeFileTest {
  private final JsonNode compose = OpsFiles.yaml(OpsFiles.COMPOSE);
  private final JsonNode services = compose.path("services");

  @Test
  void shouldDefineEveryServiceOfTheSetupWhenParsed() {
    assertEquals(Set.of("kafka", "streamcast", "retrainer", "producer", "prometheus", "grafana"), names(services));
  }

  @Test
  void shouldPinAnImageTagOrBuildWhenDefiningAService() {
    services.properties().forEach(e -> {
      JsonNode s = e.getValue();
      String image = s.path("image").asText("");
      assertTrue(s.has("build") || !image.isEmpty(), e.getKey() + " has neither image nor build");
      if (!image.isEmpty()) {
        assertTrue(isPinned(image), e.getKey() + ": image " + image + " has no pinned tag");
      }
    });
    assertEquals("apache/kafka:4.4.0", services.path("kafka").path("image").asText());
  }

  @Test
  void shouldRejectAnImageWhenItsTagIsMissingOrLatest() {
    assertTrue(isPinned("prom/prometheus:v2.53.0"));
    assertTrue(isPinned("streamcast:0.1.0-SNAPSHOT"));
    assertFalse(isPinned("prom/prometheus"));
    assertFalse(isPinned("grafana/grafana:latest"));
    assertFalse(isPinned("localhost:5000/streamcast"));
  }

  @Test
  void shouldBuildFromTheProjectDockerfileWhenRunningStreamcast() {
    for (String name : List.of("streamcast", "retrainer", "producer")) {
      JsonNode build = services.path(name).path("build");
      Path context = OpsFiles.DOCKER.resolve(build.path("context").asText()).normalize();
      assertEquals(OpsFiles.PROJECT.normalize(), context, name + ": build context");
      assertEquals(OpsFiles.DOCKERFILE, context.resolve(build.path("dockerfile").asText()), name + ": dockerfile");
    }
    // the pipeline runs the serving jar; the retrainer trains and the producer replays a bundled dataset: full jar
    assertEquals("serving", services.at("/streamcast/build/target").asText());
    assertEquals("streamcast-serving:0.1.0-SNAPSHOT", services.at("/streamcast/image").asText());
    for (String name : List.of("retrainer", "producer")) {
      assertEquals("full", services.path(name).path("build").path("target").asText(), name);
      assertEquals("streamcast:0.1.0-SNAPSHOT", services.path(name).path("image").asText(), name);
    }
  }

  @Test
  void shouldReferToExistingServicesWhenDependingOn() {
    Set<String> defined = names(services);
    services.properties().forEach(e -> {
      JsonNode deps = e.getValue().path("depends_on");
      Set<String> used = deps.isArray() ? new TreeSet<>(OpsFiles.texts(deps)) : names(deps);
      assertTrue(defined.containsAll(used), e.getKey() + " depends on " + used + ", defined: " + defined);
      assertFalse(used.contains(e.getKey()), e.getKey() + " depends on itself");
    });
    assertEquals("service_healthy", services.at("/streamcast/depends_on/kafka/condition").asText());
  }

  @Test
  void shouldMountExistingFilesWhenBindMounting() {
    Set<String> namedVolumes = names(compose.path("volumes"));
    services.properties().forEach(e -> {
      for (String volume : OpsFiles.texts(e.getValue().path("volumes"))) {
        String source = volume.split(":")[0];
        if (source.startsWith(".") || source.startsWith("/")) {
          assertTrue(Files.exists(OpsFiles.DOCKER.resolve(source)), e.getKey() + " mounts missing " + source);
        } else {
          assertTrue(namedVolumes.contains(source), e.getKey() + " uses undeclared volume " + source);
        }
      }
    });
  }

  @Test
  void shouldReadSpecsFromMountedTopologiesWhenRunningPipelines() {
    for (String name : List.of("streamcast", "retrainer")) {
      JsonNode s = services.path(name);
      assertTrue(OpsFiles.texts(s.path("volumes")).contains("../topologies:/topologies:ro"),
          name + " must mount ../topologies read-only");
      Path spec = topologyOf(s);
      assertTrue(Files.isRegularFile(spec), name + ": " + spec + " does not exist");
    }
    assertEquals("run", OpsFiles.texts(services.at("/streamcast/command")).get(0));
    List<String> retrain = OpsFiles.texts(services.at("/retrainer/command"));
    assertEquals("retrain", retrain.get(0));
    assertEquals("1h", retrain.get(retrain.indexOf("--every") + 1));
  }

  @Test
  void shouldProduceToThePipelineInputTopicWhenReplayingTheDataset() {
    PipelineSpec spec = SpecLoader.load(topologyOf(services.path("streamcast")));
    Map<String, String> produce = options(OpsFiles.texts(services.at("/producer/command")));
    assertEquals(spec.input().topic(), produce.get("--topic"));
    assertEquals("taylor", produce.get("--dataset"));
    assertEquals("kafka:9092", produce.get("--bootstrap"));
    assertEquals("600", produce.get("--speedup"));
  }

  @Test
  void shouldAdvertiseTheBootstrapAddressWhenClientsConnectInsideTheNetwork() {
    JsonNode env = services.path("kafka").path("environment");
    assertEquals("broker,controller", env.path("KAFKA_PROCESS_ROLES").asText());
    List<String> advertised = List.of(env.path("KAFKA_ADVERTISED_LISTENERS").asText().split(","));
    for (String name : List.of("streamcast", "retrainer", "producer")) {
      String bootstrap = services.path(name).path("environment").path("STREAMCAST_BOOTSTRAP").asText();
      assertTrue(advertised.stream().anyMatch(l -> l.endsWith("://" + bootstrap)),
          name + " bootstraps from " + bootstrap + ", advertised: " + advertised);
    }
    for (String replicationFactor : List.of("KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR",
        "KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR", "KAFKA_TRANSACTION_STATE_LOG_MIN_ISR")) {
      assertEquals(1, env.path(replicationFactor).asInt(), replicationFactor + " on a single broker");
    }
  }

  @Test
  void shouldServeGrafanaOnLoopbackPort3000WithoutADefaultAdminPasswordWhenStarted() {
    JsonNode grafana = services.path("grafana");
    assertEquals(List.of("127.0.0.1:3000:3000"), OpsFiles.texts(grafana.path("ports")));
    // compose refuses to start until the variable is set: there is no password anyone could guess
    assertTrue(grafana.at("/environment/GF_SECURITY_ADMIN_PASSWORD").asText()
        .matches("\\$\\{GF_ADMIN_PASSWORD:\\?[^}]+}"), grafana.at("/environment").toString());
    assertEquals("Viewer", grafana.at("/environment/GF_AUTH_ANONYMOUS_ORG_ROLE").asText());
  }

  @Test
  void shouldPublishEveryPortOnLoopbackOnlyWhenStarted() {
    List<String> published = new ArrayList<>();
    services.properties().forEach(e -> {
      for (String port : OpsFiles.texts(e.getValue().path("ports"))) {
        published.add(e.getKey() + " " + port);
        assertTrue(port.startsWith("127.0.0.1:"), e.getKey() + " publishes " + port + " beyond this machine");
      }
    });
    assertEquals(List.of("kafka 127.0.0.1:29092:29092", "streamcast 127.0.0.1:8080:8080",
        "prometheus 127.0.0.1:9090:9090", "grafana 127.0.0.1:3000:3000"), published);
  }

  @Test
  void shouldBindTheHttpPortOnEveryContainerInterfaceWhenPrometheusScrapesIt() {
    for (String name : List.of("streamcast", "retrainer")) {
      assertEquals("0.0.0.0", services.path(name).at("/environment/STREAMCAST_HTTP_HOST").asText(),
          name + ": reachable by Prometheus and the health check inside the compose network");
    }
  }

  /** A tag after the last {@code /} (a registry port is not a tag), not empty and not {@code latest}. */
  static boolean isPinned(String image) {
    String last = image.substring(image.lastIndexOf('/') + 1);
    int colon = last.indexOf(':');
    String tag = colon < 0 ? "" : last.substring(colon + 1);
    return !tag.isEmpty() && !tag.equals("latest") && tag.matches("[\\w][\\w.-]*");
  }

  private static Path topologyOf(JsonNode service) {
    String inContainer = options(OpsFiles.texts(service.path("command"))).get("--topology");
    assertTrue(inContainer != null && inContainer.startsWith("/topologies/"), "--topology " + inContainer);
    return OpsFiles.PROJECT.resolve(inContainer.substring(1));
  }

  /** {@code --name value} pairs of a command list. */
  private static Map<String, String> options(List<String> command) {
    Map<String, String> out = new TreeMap<>();
    for (int i = 0; i + 1 < command.size(); i++) {
      if (command.get(i).startsWith("--")) {
        out.put(command.get(i), command.get(i + 1));
      }
    }
    return out;
  }

  private static Set<String> names(JsonNode object) {
    Set<String> out = new TreeSet<>();
    object.properties().forEach(e -> out.add(e.getKey()));
    return out;
  }
}
