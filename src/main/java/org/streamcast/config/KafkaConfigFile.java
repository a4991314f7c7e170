package org.streamcast.config;

import java.io.IOException;
import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import org.streamcast.domain.UserFiles;

/** Reads a {@code --kafka-config} file: Java properties, passed through to every Kafka client. */
final class KafkaConfigFile {
  static final String BOOTSTRAP_SERVERS = "bootstrap.servers";
  static final String APPLICATION_ID = "application.id";
  static final String STATE_DIR = "state.dir";
  static final String PROCESSING_GUARANTEE = "processing.guarantee";

  private KafkaConfigFile() {}

  /** The largest properties file read. */
  static final int MAX_BYTES = 1 << 20;

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
    Properties props = new Properties();
    try {
      props.load(new StringReader(StandardCharsets.UTF_8.newDecoder()
          .decode(ByteBuffer.wrap(UserFiles.read(file, MAX_BYTES, "a Kafka properties file"))).toString()));
    } catch (UserFiles.Refused e) {
      throw new SpecException(e.getMessage());
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
