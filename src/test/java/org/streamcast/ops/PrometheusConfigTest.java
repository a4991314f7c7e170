package org.streamcast.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.streamcast.config.Durations;

/** docker/prometheus.yml: parses, passes promtool, and scrapes the compose services on their real ports. */
class PrometheusConfigTest {
  private final JsonNode config = OpsFiles.yaml(OpsFiles.PROMETHEUS);
  private final JsonNode services = OpsFiles.yaml(OpsFiles.COMPOSE).path("services");

  @Test
  void shouldPassPromtoolCheckConfigWhenPromtoolIsInstalled() throws Exception {
    OpsFiles.Run run = OpsFiles.promtool("check", "config", "docker/prometheus.yml");
    assertEquals(0, run.exitCode(), run.output());
    assertTrue(run.output().contains("SUCCESS"), run.output());
  }

  @Test
  void shouldScrapeTheAppEvery15SecondsOrLessWhenConfigured() {
    JsonNode app = job("streamcast");
    Duration interval = parse(app.path("scrape_interval").asText(config.at("/global/scrape_interval").asText()));
    assertTrue(interval.compareTo(Duration.ofSeconds(15)) <= 0, "scrape interval " + interval);
    assertEquals("/metrics", app.path("metrics_path").asText("/metrics"));
  }

  @Test
  void shouldScrapeComposeServicesOnTheirHttpPortWhenTargetingTheApp() {
    for (String jobName : List.of("streamcast", "streamcast-retrainer")) {
      for (String target : targets(job(jobName))) {
        String[] hostPort = target.split(":");
        JsonNode service = services.path(hostPort[0]);
        assertTrue(service.isObject(), jobName + " scrapes " + target + ", which is no compose service");
        assertEquals(service.at("/environment/STREAMCAST_HTTP_PORT").asText(), hostPort[1],
            jobName + ": port of " + target);
      }
    }
    assertEquals(List.of("localhost:9090"), targets(job("prometheus")));
  }

  private JsonNode job(String name) {
    for (JsonNode job : config.path("scrape_configs")) {
      if (job.path("job_name").asText().equals(name)) {
        return job;
      }
    }
    throw new AssertionError("no scrape job " + name + " in " + OpsFiles.PROMETHEUS);
  }

  private static List<String> targets(JsonNode job) {
    List<String> out = new ArrayList<>();
    job.path("static_configs").forEach(sc -> out.addAll(OpsFiles.texts(sc.path("targets"))));
    return out;
  }

  static Duration parse(String prometheusDuration) {
    return Durations.parse(prometheusDuration);
  }
}
