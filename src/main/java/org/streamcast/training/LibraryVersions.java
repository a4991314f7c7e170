package org.streamcast.training;

import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import org.deeplearning4j.nn.graph.ComputationGraph;

/** Versions of the software that trains a model, read from the jars themselves (for provenance). */
final class LibraryVersions {

  private LibraryVersions() {}

  static Map<String, String> all() {
    Map<String, String> v = new LinkedHashMap<>();
    v.put("deeplearning4j-nn", mavenVersion("org.deeplearning4j", "deeplearning4j-nn"));
    v.put("nd4j-api", mavenVersion("org.nd4j", "nd4j-api"));
    String own = Trainer.class.getPackage().getImplementationVersion();
    v.put("streamcast", own == null ? "development build" : own);
    v.put("java", System.getProperty("java.version"));
    return v;
  }

  private static String mavenVersion(String group, String artifact) {
    String path = "/META-INF/maven/" + group + "/" + artifact + "/pom.properties";
    try (InputStream in = ComputationGraph.class.getResourceAsStream(path)) {
      if (in == null) {
        return "unknown";
      }
      Properties p = new Properties();
      p.load(in);
      return p.getProperty("version", "unknown");
    } catch (IOException e) {
      return "unknown";
    }
  }
}
