package org.streamcast.dataset;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.streamcast.config.SpecException;
import org.streamcast.domain.Measurement;

/**
 * Reads a wide series file, {@code key,timestamp,field1,field2,...} CSV with a header naming the value fields, as
 * {@link Measurement}s whose values are the target first, then the covariates in the order asked for (the order of
 * an event's values in a pipeline). The CSV rules are those of {@link SeriesCsvReader}; a covariate cell may be empty
 * (no value for that field at that time: the serving step holds the field's last value), the target's may not.
 */
public final class WideCsvReader {
  private WideCsvReader() {}

  /**
   * A wide file's rows.
   *
   * @param target     the target field
   * @param covariates the covariate fields, in order
   * @param rows       one measurement per row, in file order: {@code values()} = target, then the covariates
   *                   ({@code NaN} for an empty cell)
   * @param missingTargets rows left out because their target cell was a missing-value marker
   *                   ({@link SeriesCsvReader#isMissing}), as a narrow file's missing row
   */
  public record Table(String target, List<String> covariates, List<Measurement> rows, long missingTargets) {
    public Table {
      covariates = List.copyOf(covariates);
      rows = List.copyOf(rows);
    }

    /** One line for a warning when rows were left out for a missing target; empty when none was. */
    public Optional<String> missingSummary(String source) {
      return missingTargets == 0 ? Optional.empty() : Optional.of(source + ": " + missingTargets + " row"
          + (missingTargets == 1 ? "" : "s") + " with a missing " + target + " (" + SeriesCsvReader.MISSING_MARKERS
          + ") read as missing steps");
    }
  }

  /**
   * Whether {@code file} is wide: its header has no {@code value} column, or names a column besides {@code key},
   * {@code timestamp} and {@code value} (then {@code value} is one field among others: a pipeline whose target is
   * named {@code value} and has covariates writes {@code key,timestamp,value,wind}, whose {@code wind} a narrow read
   * dropped).
   */
  public static boolean isWide(Path file) {
    try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      return isWide(file.toString(), in);
    } catch (IOException e) {
      throw new SpecException(file + ": cannot be read (" + e.getMessage() + ")");
    }
  }

  /** Whether the CSV that {@code in} begins with is wide (see {@link #isWide(Path)}); reads only the header. */
  public static boolean isWide(String source, BufferedReader in) {
    List<String> header = new CsvRecords(source, in).next();
    if (header == null) {
      return false;
    }
    List<String> names = header.stream().map(WideCsvReader::column).toList();
    // R's unnamed row-name column ("") names nothing
    return !names.contains("value") || names.stream()
        .anyMatch(n -> !n.isEmpty() && !n.equals("key") && !n.equals("timestamp") && !n.equals("value"));
  }

  /**
   * Reads a wide CSV as events to replay ({@code streamcast produce}): every value column in file order, the first
   * as {@link Table#target()}; any cell may be empty ({@code NaN}: the event leaves that field out).
   */
  public static Table readEvents(String source, InputStream in) {
    try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT)))) {
      return read(source, new CsvRecords(source, r), null, null, true);
    } catch (IOException e) {
      throw new SpecException(source + ": cannot be read (" + e.getMessage() + ")");
    }
  }

  /**
   * Reads {@code file}.
   *
   * @param target     the target column, or null for the first value column
   * @param covariates the covariate columns in order, or null for every other value column (in file order)
   */
  public static Table read(Path file, String target, List<String> covariates) {
    try (BufferedReader in = new BufferedReader(new InputStreamReader(Files.newInputStream(file),
        StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT)))) {
      return read(file.toString(), new CsvRecords(file.toString(), in), target, covariates, false);
    } catch (NoSuchFileException e) {
      throw new SpecException(file + ": no such file");
    } catch (IOException e) {
      throw new SpecException(file + ": cannot be read (" + e.getMessage() + ")");
    }
  }

  static Table read(String source, CsvRecords records, String target, List<String> covariates) {
    return read(source, records, target, covariates, false);
  }

  private static Table read(String source, CsvRecords records, String target, List<String> covariates,
      boolean blankTarget) {
    List<String> header = records.next();
    if (header == null) {
      throw new SpecException(source + ": is empty (expected a header key,timestamp,field1,...)");
    }
    List<String> names = new ArrayList<>();
    int keyColumn = -1;
    int timeColumn = -1;
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < header.size(); i++) {
      String name = header.get(i).strip();
      names.add(name);
      if (!seen.add(name)) {
        throw new SpecException(source + ":" + records.line() + ": the header names column " + name + " twice");
      }
      switch (column(name)) {
        case "key" -> keyColumn = i;
        case "timestamp" -> timeColumn = i;
        default -> { }
      }
    }
    if (keyColumn < 0 || timeColumn < 0) {
      throw new SpecException(source + ":" + records.line() + ": the header " + SeriesCsvReader.quote(
          String.join(",", header)) + " has no column " + (keyColumn < 0 ? "key" : "timestamp")
          + " (expected key,timestamp,field1,...)");
    }
    List<String> fields = new ArrayList<>();
    for (int i = 0; i < names.size(); i++) {
      if (i != keyColumn && i != timeColumn) {
        fields.add(names.get(i));
      }
    }
    if (fields.isEmpty()) {
      throw new SpecException(source + ": the header names no value field (expected key,timestamp,field1,...)");
    }
    String t = target == null ? fields.get(0) : target;
    List<String> cov = covariates == null ? fields.stream().filter(f -> !f.equals(t)).toList() : covariates;
    int[] columns = new int[1 + cov.size()];
    columns[0] = columnOf(source, names, t, "--target");
    for (int c = 0; c < cov.size(); c++) {
      if (cov.get(c).equals(t)) {
        throw new SpecException("--covariates: " + t + " is the target");
      }
      columns[1 + c] = columnOf(source, names, cov.get(c), "--covariates");
    }
    List<Measurement> rows = new ArrayList<>();
    long missingTargets = 0;
    for (List<String> row = records.next(); row != null; row = records.next()) {
      String at = source + ":" + records.line();
      if (row.size() != header.size()) {
        throw new SpecException(at + ": expected " + header.size() + " fields like the header, found " + row.size());
      }
      String key = row.get(keyColumn);
      if (key.isEmpty()) {
        throw SpecException.of(at, "column key", "an empty key is not allowed");
      }
      if (!blankTarget && SeriesCsvReader.isMissing(row.get(columns[0]))) {
        SeriesCsvReader.time(at, row.get(timeColumn));
        missingTargets++;
        continue;
      }
      double[] values = new double[columns.length];
      for (int c = 0; c < columns.length; c++) {
        String cell = row.get(columns[c]);
        values[c] = SeriesCsvReader.isMissing(cell) ? Double.NaN : number(at, names.get(columns[c]), cell);
      }
      rows.add(new Measurement(key, SeriesCsvReader.time(at, row.get(timeColumn)), values));
    }
    return new Table(t, cov, rows, missingTargets);
  }

  private static int columnOf(String source, List<String> names, String field, String option) {
    int i = names.indexOf(field);
    if (i < 0 || column(field).equals("key") || column(field).equals("timestamp")) {
      throw new SpecException(option + ": " + SeriesCsvReader.quote(field) + " is not a value column of " + source
          + " (" + String.join(", ", names) + ")");
    }
    return i;
  }

  private static double number(String at, String column, String cell) {
    try {
      return SeriesCsvReader.value(at, cell);
    } catch (SpecException e) {
      throw new SpecException(e.getMessage().replace("column value", "column " + column));
    }
  }

  private static String column(String name) {
    return name.strip().toLowerCase(Locale.ROOT);
  }
}
