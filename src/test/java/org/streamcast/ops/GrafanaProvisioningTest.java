package org.streamcast.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.junit.jupiter.api.Test;

/** grafana/provisioning: the datasource and dashboard provider fit the compose file and Prometheus config. */
class GrafanaProvisioningTest {
  private final JsonNode datasource = OpsFiles.yaml(OpsFiles.DATASOURCE).path("datasources").path(0);
  private final JsonNode provider = OpsFiles.yaml(OpsFiles.DASHBOARD_PROVIDER).path("providers").path(0);
  private final JsonNode grafana = OpsFiles.yaml(OpsFiles.COMPOSE).path("services").path("grafana");

  @Test
  void shouldPointAtComposePrometheusWhenProvisioningTheDatasource() {
    assertEquals("prometheus", datasource.path("type").asText());
    assertEquals(DashboardsTest.DATASOURCE_UID, datasource.path("uid").asText());
    assertEquals("http://prometheus:9090", datasource.path("url").asText());
    assertTrue(datasource.path("isDefault").asBoolean());
  }

  @Test
  void shouldMatchThePrometheusScrapeIntervalWhenSizingRateIntervals() {
    JsonNode prometheus = OpsFiles.yaml(OpsFiles.PROMETHEUS);
    assertEquals(PrometheusConfigTest.parse(prometheus.at("/global/scrape_interval").asText()),
        PrometheusConfigTest.parse(datasource.at("/jsonData/timeInterval").asText()));
  }

  @Test
  void shouldLoadDashboardsFromWhereComposeMountsThemWhenProvisioning() {
    assertEquals("file", provider.path("type").asText());
    String path = provider.at("/options/path").asText();
    List<String> volumes = OpsFiles.texts(grafana.path("volumes"));
    assertTrue(volumes.contains("../grafana/dashboards:" + path + ":ro"), path + " not mounted: " + volumes);
    assertTrue(volumes.contains("../grafana/provisioning/datasources:/etc/grafana/provisioning/datasources:ro"));
    assertTrue(volumes.contains("../grafana/provisioning/dashboards:/etc/grafana/provisioning/dashboards:ro"));
    String home = grafana.at("/environment/GF_DASHBOARDS_DEFAULT_HOME_DASHBOARD_PATH").asText();
    assertTrue(home.startsWith(path + "/"), home);
    assertTrue(OpsFiles.DASHBOARDS.resolve(home.substring(path.length() + 1)).toFile().isFile(), home);
  }
}
