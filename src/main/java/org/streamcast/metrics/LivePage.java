package org.streamcast.metrics;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.streamcast.config.PipelineSpec;
import org.streamcast.domain.Forecast;
import org.streamcast.model.Forecaster;
import org.streamcast.model.ModelHolder;
import org.streamcast.quality.PipelineScores;

/**
 * The built-in page for people without Grafana: {@code GET /} is one self-contained HTML file (inline CSS and
 * JavaScript drawing SVG, nothing fetched from elsewhere, so it works offline) that polls {@code GET /live} and
 * draws each watched key's recent actuals, the one-step-ahead forecasts made for them with their interval bands, and
 * the latest forecast fan, with the anomalous actuals marked, next to the pipeline's live quality (MAE, RMSE and
 * skill by horizon, coverage by level).
 *
 * <p>{@code /live} JSON: {@code {"generated": ms, "pipelines": [{"name", "stepMs", "horizon", "levels": ["0.8",
 * ...], "model": {"name", "version"}, "quality": {"window", "horizons": [{"h", "n", "mae", "rmse", "skill"}],
 * "coverage": [per level], "groups": [{"horizons", "coverage": [per level]}]}, "keys": [{"key", "points": [{"t",
 * "actual", "forecast", "anomaly" (true only on anomalous steps),
 * "lower": [per level],
 * "upper": [...]}], "latest": {"origin", "model", "modelVersion", "points": [{"h", "t", "value", "lower",
 * "upper"}]}}]}]}}; times in epoch milliseconds, unknown numbers {@code null}. Only the watched keys this instance
 * processes have points.
 */
public final class LivePage {
  private static final ObjectMapper JSON = JsonMapper.builder().build();
  private static final String RESOURCE = "live.html";

  /** One pipeline as the page shows it. */
  public record Source(PipelineSpec spec, ModelHolder models, PipelineScores scores, WatchedKeys watched) {}

  private final List<Source> sources;
  private final Clock clock;
  private final byte[] html;
  private final String policy;

  public LivePage(List<Source> sources, Clock clock) {
    this.sources = List.copyOf(sources);
    this.clock = clock;
    this.html = readPage();
    this.policy = policy(new String(html, StandardCharsets.UTF_8));
  }

  /**
   * The page's Content-Security-Policy: only its own inline script and style (by hash) run, it may fetch only from
   * this origin, and no other site may frame it. An injected script or style, or a link elsewhere, does not load.
   */
  static String policy(String page) {
    return "default-src 'none'; script-src '" + hash(page, "<script>", "</script>") + "'; style-src '"
        + hash(page, "<style>", "</style>") + "'; connect-src 'self'; base-uri 'none'; form-action 'none'; "
        + "frame-ancestors 'none'";
  }

  private static String hash(String page, String open, String close) {
    int from = page.indexOf(open);
    int to = page.indexOf(close, from);
    if (from < 0 || to < 0 || page.indexOf(open, to) >= 0) {
      throw new IllegalStateException(RESOURCE + " must hold exactly one " + open + " block");
    }
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256")
          .digest(page.substring(from + open.length(), to).getBytes(StandardCharsets.UTF_8));
      return "sha256-" + Base64.getEncoder().encodeToString(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }

  private static byte[] readPage() {
    try (InputStream in = LivePage.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("resource " + RESOURCE + " is missing from the build");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + RESOURCE, e);
    }
  }

  /** {@code GET /}: the page. */
  public HttpApi.Response page() {
    return new HttpApi.Response(200, "text/html; charset=utf-8", html, Map.of("Content-Security-Policy", policy));
  }

  /** {@code GET /live}: the data the page draws. */
  public HttpApi.Response live() {
    return HttpApi.Response.json(200, json().toString());
  }

  ObjectNode json() {
    ObjectNode root = JSON.createObjectNode();
    root.put("generated", clock.millis());
    ArrayNode pipelines = root.putArray("pipelines");
    for (Source s : sources) {
      ObjectNode p = pipelines.addObject();
      p.put("name", s.spec().name());
      p.put("stepMs", s.spec().window().step().toMillis());
      p.put("horizon", s.spec().model().horizon());
      ArrayNode levels = p.putArray("levels");
      s.spec().intervals().forEach(l -> levels.add(Forecast.Interval.levelText(l)));
      Forecaster model = s.models().current();
      p.putObject("model").put("name", model.name()).put("version", model.version());
      quality(p.putObject("quality"), s.scores().summary());
      ArrayNode keys = p.putArray("keys");
      for (WatchedKeys.View v : s.watched().views()) {
        keys.add(key(v, s.spec().intervals()));
      }
    }
    return root;
  }

  private static void quality(ObjectNode q, PipelineScores.Summary summary) {
    q.put("window", PipelineScores.WINDOW);
    ArrayNode hs = q.putArray("horizons");
    for (PipelineScores.HorizonQuality h : summary.horizons()) {
      ObjectNode o = hs.addObject();
      o.put("h", h.h());
      o.put("n", h.n());
      number(o, "mae", h.mae());
      number(o, "rmse", h.rmse());
      number(o, "skill", h.skill());
    }
    ArrayNode cov = q.putArray("coverage");
    for (double c : summary.coverage()) {
      number(cov, c);
    }
    // nominal against achieved per horizon group
    ArrayNode groups = q.putArray("groups");
    for (int g = 0; g < summary.groups().size(); g++) {
      ObjectNode o = groups.addObject();
      o.put("horizons", summary.groups().get(g).label());
      ArrayNode c = o.putArray("coverage");
      for (double v : summary.groupCoverage()[g]) {
        number(c, v);
      }
    }
  }

  private static ObjectNode key(WatchedKeys.View v, List<Double> levels) {
    ObjectNode k = JSON.createObjectNode();
    k.put("key", v.key());
    ArrayNode points = k.putArray("points");
    for (WatchedKeys.Point pt : v.points()) {
      ObjectNode o = points.addObject();
      o.put("t", pt.start());
      number(o, "actual", pt.actual());
      number(o, "forecast", pt.forecast());
      if (pt.anomaly()) {
        o.put("anomaly", true);
      }
      ArrayNode lo = o.putArray("lower");
      ArrayNode up = o.putArray("upper");
      for (int l = 0; l < pt.lower().length; l++) {
        number(lo, pt.lower()[l]);
        number(up, pt.upper()[l]);
      }
    }
    Forecast f = v.latest();
    if (f == null) {
      k.putNull("latest");
    } else {
      ObjectNode latest = k.putObject("latest");
      latest.put("origin", f.origin().toEpochMilli());
      latest.put("model", f.model());
      latest.put("modelVersion", f.modelVersion());
      latest.put("servedBy", f.servedBy());
      ArrayNode fp = latest.putArray("points");
      for (Forecast.Point pt : f.points()) {
        ObjectNode o = fp.addObject();
        o.put("h", pt.h());
        o.put("t", pt.time().toEpochMilli());
        o.put("source", pt.source());
        number(o, "value", pt.value());
        ArrayNode lo = o.putArray("lower");
        ArrayNode up = o.putArray("upper");
        for (double level : levels) {
          Forecast.Interval band = pt.intervals().stream().filter(i -> i.level() == level).findFirst().orElse(null);
          number(lo, band == null ? Double.NaN : band.lower());
          number(up, band == null ? Double.NaN : band.upper());
        }
      }
    }
    return k;
  }

  private static void number(ObjectNode o, String field, double v) {
    if (Double.isFinite(v)) {
      o.put(field, v);
    } else {
      o.putNull(field);
    }
  }

  private static void number(ArrayNode a, double v) {
    if (Double.isFinite(v)) {
      a.add(v);
    } else {
      a.addNull();
    }
  }
}
