package org.streamcast.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import picocli.CommandLine;

/** Reports the version from the jar manifest (set by the build), with the library versions that matter. */
final class VersionProvider implements CommandLine.IVersionProvider {
  @Override
  public String[] getVersion() {
    String v = Streamcast.class.getPackage().getImplementationVersion();
    return new String[] {
        "streamcast " + (v == null ? "(development build)" : v),
        "Kafka " + kafkaVersion(),
        "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + ")"};
  }

  /** The Kafka clients' version, from their jar. */
  static String kafkaVersion() {
    try (InputStream in = VersionProvider.class.getResourceAsStream("/kafka/kafka-version.properties")) {
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
