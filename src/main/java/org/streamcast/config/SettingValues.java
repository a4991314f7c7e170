package org.streamcast.config;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.streamcast.config.PipelineSpec.ProcessingGuarantee;

/**
 * Parsing and validation of runtime setting values, shared by the spec's {@code runtime} section, environment
 * variables, flags and {@code --kafka-config} files, so each gets the same one-line errors.
 */
final class SettingValues {
  private static final String NAME_CHARS = "letters, digits, '.', '_' and '-'";

  private SettingValues() {}

  /** {@code host:port[,host:port...]}, each port 1 to 65535; returns the list without blanks around entries. */
  static String bootstrap(String source, String field, String text) {
    List<String> entries = new ArrayList<>();
    for (String raw : text.split(",", -1)) {
      String entry = raw.strip();
      int colon = entry.lastIndexOf(':');
      String host = colon < 0 ? "" : entry.substring(0, colon);
      String port = colon < 0 ? "" : entry.substring(colon + 1);
      if (host.isEmpty() || !port.matches("\\d{1,5}") || Integer.parseInt(port) < 1 || Integer.parseInt(port) > 65535
          || host.chars().anyMatch(Character::isWhitespace)) {
        throw SpecException.of(source, field, Durations.quote(text)
            + " is not a list of host:port (e.g. localhost:9092 or broker1:9092,broker2:9092)");
      }
      entries.add(entry);
    }
    return String.join(",", entries);
  }

  /** A port 0 to 65535 (0: pick a free one). */
  static int port(String source, String field, String text) {
    String t = text.strip();
    if (!t.matches("\\d{1,5}") || Integer.parseInt(t) > 65535) {
      throw SpecException.of(source, field, Durations.quote(text) + " is not a port number (0 to 65535)");
    }
    return Integer.parseInt(t);
  }

  /**
   * A host name or IP literal to bind ({@code 127.0.0.1}, {@code 0.0.0.0}, {@code ::}, {@code localhost}): letters,
   * digits, '.', '-', ':' and '_' only, at most 253 characters.
   */
  static String host(String source, String field, String text) {
    String t = text.strip();
    if (!t.matches("[A-Za-z0-9._:-]{1,253}")) {
      throw SpecException.of(source, field, Durations.quote(text)
          + " is not a host name or IP address to bind (e.g. 127.0.0.1 or 0.0.0.0)");
    }
    return t;
  }

  /** A non-blank file system path. */
  static Path path(String source, String field, String text) {
    if (text.isBlank()) {
      throw SpecException.of(source, field, "an empty path is not allowed");
    }
    try {
      return Path.of(text.strip());
    } catch (InvalidPathException e) {
      throw SpecException.of(source, field, Durations.quote(text) + " is not a valid path (" + e.getReason() + ")");
    }
  }

  /** An application id prefix: 1 to 100 of letters, digits, '.', '_' and '-'. */
  static String applicationIdPrefix(String source, String field, String text) {
    if (!text.matches("[A-Za-z0-9._-]{1,100}")) {
      throw SpecException.of(source, field, Durations.quote(text)
          + " is not a valid application id prefix (1 to 100 " + NAME_CHARS + ")");
    }
    return text;
  }

  /** A processing guarantee, case-insensitive, '-' or '_'. */
  static ProcessingGuarantee guarantee(String source, String field, String text) {
    String wanted = text.strip().replace('-', '_').toUpperCase(Locale.ROOT);
    for (ProcessingGuarantee g : ProcessingGuarantee.values()) {
      if (g.name().equals(wanted)) {
        return g;
      }
    }
    throw SpecException.of(source, field, Durations.quote(text) + " is not one of exactly_once_v2, at_least_once");
  }

  /**
   * Checks one pass-through property: {@code application.id} is refused, and the keys streamcast has settings for
   * ({@code bootstrap.servers}, {@code state.dir}, {@code processing.guarantee}) must hold valid values.
   */
  static void passThrough(String source, String field, String key, String value) {
    switch (key) {
      case KafkaConfigFile.APPLICATION_ID -> throw SpecException.of(source, field,
          "cannot be passed through (streamcast sets it to <applicationIdPrefix>-<pipeline>; set the prefix instead)");
      case KafkaConfigFile.BOOTSTRAP_SERVERS -> bootstrap(source, field, value);
      case KafkaConfigFile.STATE_DIR -> path(source, field, value);
      case KafkaConfigFile.PROCESSING_GUARANTEE -> guarantee(source, field, value);
      default -> {
        if (key.isBlank()) {
          throw SpecException.of(source, field, "an empty property name is not allowed");
        }
      }
    }
  }
}
