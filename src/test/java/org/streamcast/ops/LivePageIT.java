package org.streamcast.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.streamcast.testing.Chromium;
import org.streamcast.testing.DashboardQueries;
import org.streamcast.testing.KafkaExtension;
import org.streamcast.testing.TestKafka;

/**
 * The built-in page of a running pipeline in a real browser: headless Chromium loads {@code GET /}, runs its script
 * (which fetches {@code /live}) and draws every watched key's chart with its data points; a screenshot is saved to
 * {@code target/screenshots/live-page.png}. The page references nothing outside the app.
 */
@ExtendWith(KafkaExtension.class)
class LivePageIT {
  private static final Logger LOG = LoggerFactory.getLogger(LivePageIT.class);
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final ObjectMapper JSON = new ObjectMapper();
  /** Where the screenshot goes, for people to look at after the build. */
  static final Path SCREENSHOT = DashboardQueries.projectDirectory().resolve("target/screenshots/live-page.png");

  @Test
  void shouldDrawTheWatchedKeysWithDataPointsWhenChromiumLoadsThePage(TestKafka kafka, @TempDir Path dir)
      throws Exception {
    Chromium chromium = Chromium.installed(dir);
    String name = TestKafka.uniqueName("page").replace('_', '-');
    try (RunningPipeline pipeline = RunningPipeline.start(kafka, dir.resolve("state"), name)) {
      int days = 10;
      pipeline.produce(RunningPipeline.hours(0, 24 * days, 3), 400);
      int perKey = RunningPipeline.forecastsPerKey(24 * days);
      pipeline.awaitForecasts(RunningPipeline.KEYS * perKey, Duration.ofSeconds(60));
      String base = "http://127.0.0.1:" + pipeline.app.httpPort();
      LOG.info("{} forecasts published; loading {}/ in chromium", RunningPipeline.KEYS * perKey, base);

      HttpResponse<String> page = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertEquals(200, page.statusCode());
      assertTrue(page.headers().firstValue("Content-Type").orElse("").startsWith("text/html"));
      Matcher external = Pattern.compile("(?i)(src|href)\\s*=\\s*[\"']?\\s*(https?:)?//|<link\\b|@import|url\\(")
          .matcher(page.body());
      boolean found = external.find();
      assertTrue(!found, () -> "the page must not load anything from elsewhere: " + page.body().substring(
          Math.max(0, external.start() - 40), Math.min(page.body().length(), external.end() + 40)));

      JsonNode live = JSON.readTree(HTTP.send(HttpRequest.newBuilder(URI.create(base + "/live")).build(),
          HttpResponse.BodyHandlers.ofString()).body());
      JsonNode p = live.at("/pipelines/0");
      assertEquals(name, p.path("name").asText());
      assertEquals(List.of("k-0", "k-1"), List.of(p.at("/keys/0/key").asText(), p.at("/keys/1/key").asText()));
      // every closed step of the watched key is kept (up to WatchedKeys.RECENT)
      int steps = Math.min(24 * days - 1, org.streamcast.metrics.WatchedKeys.RECENT);
      assertEquals(steps, p.at("/keys/0/points").size());
      assertEquals(6, p.at("/keys/0/latest/points").size());
      assertTrue(p.at("/keys/0/latest/points/0/lower/1").isNumber(), "the latest forecast has its 95% band");
      String servedBy = p.at("/keys/0/latest/servedBy").asText();
      assertEquals(p.at("/keys/0/latest/points/0/source").asText(), servedBy.split(" ")[0], "which source served h=1");

      String dom = chromium.load(base + "/", SCREENSHOT, 1280, 1400, 5_000);
      LOG.info("rendered; screenshot in {}", SCREENSHOT);
      BufferedImage shot = ImageIO.read(SCREENSHOT.toFile());
      assertEquals(1280, shot.getWidth());
      assertEquals(1400, shot.getHeight());
      for (String key : List.of("k-0", "k-1")) {
        String chart = element(dom, "svg", "data-key=\"" + key + "\"");
        assertEquals(Integer.toString(steps), attribute(chart, "data-points"), key + " chart");
        String svg = dom.substring(dom.indexOf(chart));
        svg = svg.substring(0, svg.indexOf("</svg>"));
        String actual = element(svg, "polyline", "class=\"actual\"");
        assertEquals(steps, attribute(actual, "points").trim().split("\\s+").length, key + ": actual's points");
        String forecast = element(svg, "polyline", "class=\"forecast\"");
        assertTrue(Integer.parseInt(attribute(forecast, "data-points")) >= steps - 25, key + ": " + forecast);
        assertTrue(svg.contains("class=\"band\""), key + ": interval bands drawn");
        assertTrue(svg.contains("class=\"fanband\""), key + ": latest forecast's bands drawn");
      }
      assertEquals("6", attribute(element(dom, "svg", "class=\"skill-chart\""), "data-bars"), "skill by horizon");
      assertTrue(dom.contains("coverage at 95%: "), "coverage shown");
      assertTrue(dom.contains("(" + servedBy + ")"), "the page says which source served the latest forecast");

    }
  }

  /** The first start tag {@code <tag ...>} that contains {@code marker}. */
  private static String element(String html, String tag, String marker) {
    Matcher m = Pattern.compile("<" + tag + "\\b[^>]*>").matcher(html);
    while (m.find()) {
      if (m.group().contains(marker)) {
        return m.group();
      }
    }
    throw new AssertionError("no <" + tag + "> with " + marker + " in the rendered page");
  }

  private static String attribute(String element, String name) {
    Matcher m = Pattern.compile("\\b" + name + "=\"([^\"]*)\"").matcher(element);
    if (!m.find()) {
      throw new AssertionError(element + " has no attribute " + name);
    }
    return m.group(1);
  }
}
