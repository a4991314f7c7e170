package org.streamcast.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/** Reads a {@code --kafka-config} file: Java properties, passed through to every Kafka client. */
final class KafkaConfigFile {
  static final String BOOTSTRAP_SERVERS = "bootstrap.servers";
  static final String APPLICATION_ID = "application.id";
  static final String STATE_DIR = "state.dir";
  static final String PROCESSING_GUARANTEE = "processing.guarantee";

  private KafkaConfigFile() {}

  /**
   * The file's properties, checked with {@link SettingValues#passThrough}.
   *
   * @param file    the file
   * @param namedBy where the file name came from, for the message when it is missing
   *
   * @throws SpecException one line naming the file (and the property) when it cannot be used
   */
  static Map<String, String> read(Path file, String namedBy) {
    String source = file.toString();
    if (Files.isDirectory(file)) {
      throw new SpecException(source + ": is a directory, not a Kafka properties file");
    }
    Properties props = new Properties();
    try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      props.load(in);
    } catch (NoSuchFileException e) {
      throw new SpecException(source + ": no such Kafka properties file (named by " + namedBy + ")");
    } catch (AccessDeniedException e) {
      throw new SpecException(source + ": permission denied");
    } catch (IOException | IllegalArgumentException e) {
      throw new SpecException(source + ": cannot be read as Java properties (" + e.getMessage() + ")");
    }
    Map<String, String> out = new TreeMap<>();
    for (String key : props.stringPropertyNames()) {
      String value = props.getProperty(key);
      SettingValues.passThrough(source, key, key, value);
      out.put(key, value);
    }
    return out;
  }
}
