package org.streamcast.training.backtest;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import org.streamcast.config.SpecException;
import org.streamcast.domain.Observation;

/**
 * Reads a {@code key,timestamp,value} CSV file (the format of the bundled datasets) into {@link Observation}s.
 *
 * <p>The header must be {@code key,timestamp,value} (any case). Timestamps are ISO-8601: an instant
 * ({@code 2000-06-05T00:30:00Z}, offsets allowed), a local date-time or a date (both read as UTC), or epoch
 * milliseconds. Values are finite numbers; a missing value is a missing row, so an empty value is an error. Blank
 * lines are skipped. Every error is one line naming the file, the line, the field and the value.
 */
public final class ObservationCsv {

  private ObservationCsv() {}

  /** Reads a file. */
  public static List<Observation> read(Path file) {
    try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      return read(in, file.toString());
    } catch (NoSuchFileException e) {
      throw new SpecException(file + ": no such file");
    } catch (java.nio.charset.MalformedInputException e) {
      throw new SpecException(file + ": not UTF-8 text");
    } catch (IOException e) {
      throw new UncheckedIOException(file + ": " + e.getMessage(), e);
    }
  }

  /**
   * Reads CSV text.
   *
   * @param in     the text
   * @param source the name used in error messages
   */
  public static List<Observation> read(Reader in, String source) throws IOException {
    BufferedReader lines = in instanceof BufferedReader b ? b : new BufferedReader(in);
    String header = lines.readLine();
    if (header == null) {
      throw new SpecException(source + ": empty file; expected the header key,timestamp,value");
    }
    header = header.startsWith("\uFEFF") ? header.substring(1) : header;
    List<String> names = CsvText.split(header);
    if (names == null || names.size() != 3 || !names.get(0).equalsIgnoreCase("key")
        || !names.get(1).equalsIgnoreCase("timestamp") || !names.get(2).equalsIgnoreCase("value")) {
      throw new SpecException(source + ":1: header is \"" + header + "\"; expected key,timestamp,value");
    }
    List<Observation> out = new ArrayList<>();
    String line;
    int number = 1;
    while ((line = lines.readLine()) != null) {
      number++;
      if (line.isBlank()) {
        continue;
      }
      String where = source + ":" + number + ": ";
      List<String> f = CsvText.split(line);
      if (f == null || f.size() != 3) {
        throw new SpecException(where + "expected 3 fields key,timestamp,value, got \"" + line + "\"");
      }
      if (f.get(0).isEmpty()) {
        throw new SpecException(where + "key is empty");
      }
      out.add(new Observation(f.get(0), timestamp(f.get(1), where), value(f.get(2), where)));
    }
    if (out.isEmpty()) {
      throw new SpecException(source + ": no data rows after the header");
    }
    return out;
  }

  private static Instant timestamp(String s, String where) {
    try {
      if (!s.isEmpty() && s.chars().allMatch(Character::isDigit)) {
        return Instant.ofEpochMilli(Long.parseLong(s));
      }
      if (s.length() == 10) {
        return LocalDate.parse(s).atStartOfDay(ZoneOffset.UTC).toInstant();
      }
      if (s.endsWith("Z") || s.matches(".*[+-]\\d\\d:?\\d\\d$")) {
        return java.time.OffsetDateTime.parse(s).toInstant();
      }
      return LocalDateTime.parse(s).toInstant(ZoneOffset.UTC);
    } catch (DateTimeParseException | NumberFormatException e) {
      throw new SpecException(where + "timestamp \"" + s + "\" is not ISO-8601 (e.g. 2000-06-05T00:30:00Z)");
    }
  }

  private static double value(String s, String where) {
    if (s.isEmpty()) {
      throw new SpecException(where + "value is empty (leave the row out when a value is missing)");
    }
    try {
      double v = Double.parseDouble(s);
      if (Double.isFinite(v)) {
        return v;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new SpecException(where + "value \"" + s + "\" is not a finite number");
  }
}
