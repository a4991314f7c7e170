package org.streamcast.dataset;

import java.io.BufferedReader;
import java.io.Closeable;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.Year;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import org.streamcast.config.Durations;
import org.streamcast.config.SpecException;
import org.streamcast.domain.Observation;

/**
 * Reads a series file, {@code key,timestamp,value} CSV with a header, one {@link Observation} at a time, so a file of
 * any size (or standard input) can be read without holding it.
 *
 * <p>The format: a header naming the columns {@code key}, {@code timestamp} and {@code value} (any order, any case;
 * other columns are ignored; without a {@code key} column the file is one series, keyed by the file's name without
 * its extension); fields separated by commas and quoted RFC 4180 style when they hold commas, quotes
 * ({@code ""}) or line breaks; timestamps in ISO-8601 with a zone ({@code 2000-06-05T00:30:00Z},
 * {@code 2000-06-05T01:30+01:00}), without one ({@code 2000-06-05T00:30}, {@code 2000-06-05 00:30:00}: UTC), or dates,
 * months and years ({@code 2000-06-05}, {@code 2000-06}, {@code 2000}: the first day, midnight UTC); finite decimal
 * values; blank
 * lines ignored; UTF-8, with or without a byte-order mark. A missing value is a missing row; a row whose value is one
 * of the usual markers of a missing value ({@link #isMissing}: empty, {@code NA}, {@code NaN}, {@code null}, as R,
 * pandas and spreadsheets write them) is read as a missing row too and counted ({@link #missingSummary()}).
 *
 * <p>Every problem is a {@link SpecException} with one line naming the source, the line, the column and the value,
 * e.g. {@code data.csv:12: column timestamp: "2000-13-01" is not an ISO-8601 time (e.g. 2000-06-05T00:30:00Z)}.
 * I/O failures are {@link java.io.UncheckedIOException}s.
 */
public final class SeriesCsvReader implements Iterator<Observation>, Closeable {
  private static final Pattern NUMBER = Pattern.compile("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?");
  private static final String TIME_EXAMPLE = "(e.g. 2000-06-05T00:30:00Z)";
  private static final Pattern YEAR = Pattern.compile("[0-9]{4}");
  /** How a warning names the markers {@link #isMissing} reads as a missing value. */
  static final String MISSING_MARKERS = "NA, NaN, null or empty";

  private final String source;
  private final CsvRecords records;
  private final Map<String, String> keys = new HashMap<>();
  private int keyColumn = -1;
  /** The key of a file without a key column (one series): its name without directory and extension. */
  private String singleKey;
  /** Named header columns besides key, timestamp and value (R's unnamed row-name column is not named). */
  private final List<String> ignored = new ArrayList<>();
  private int timeColumn = -1;
  private int valueColumn = -1;
  private int columns;
  private Observation next;
  private long missing;
  private String firstMissing;

  private SeriesCsvReader(String source, Reader in) {
    this.source = source;
    this.records = new CsvRecords(source, in);
    readHeader();
  }

  /**
   * Opens a reader over UTF-8 text; reads the header at once.
   *
   * @param source the name used in error messages (a file name, or {@code stdin})
   * @param in     the text; closed with this reader
   */
  public static SeriesCsvReader open(String source, InputStream in) {
    return new SeriesCsvReader(source, new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8
        .newDecoder().onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT))));
  }

  /** Opens a reader over text; reads the header at once. */
  public static SeriesCsvReader open(String source, Reader in) {
    return new SeriesCsvReader(source, in instanceof BufferedReader ? in : new BufferedReader(in));
  }

  /** Opens a file; a missing file is a {@link SpecException}. */
  public static SeriesCsvReader open(Path file) {
    return open(file, MAX_STREAM_BYTES);
  }

  /** {@link #open(Path)} reading at most {@code maxStreamBytes} when the file is a pipe or a device. */
  static SeriesCsvReader open(Path file, long maxStreamBytes) {
    if (Files.isDirectory(file)) {
      throw new SpecException(file + ": is a directory, not a key,timestamp,value CSV file");
    }
    try {
      InputStream in = Files.newInputStream(file);
      if (!Files.isRegularFile(file)) {
        // a pipe or a device has no size to check: one that never ends (`<(yes ...)`) is cut off, not read until
        // memory runs out
        in = new Bounded(in, maxStreamBytes, file);
      }
      return open(file.toString(), in);
    } catch (NoSuchFileException e) {
      throw new SpecException(file + ": no such file");
    } catch (IOException e) {
      throw new SpecException(file + ": cannot be read (" + e.getMessage() + ")");
    }
  }

  /** The most bytes read from a file that is not a regular file (a pipe, a device). */
  static final long MAX_STREAM_BYTES = 1L << 30;

  /** A stream that refuses to go on past {@code max} bytes, with a one-line usage error. */
  private static final class Bounded extends FilterInputStream {
    private final long max;
    private final Path file;
    private long read;

    Bounded(InputStream in, long max, Path file) {
      super(in);
      this.max = max;
      this.file = file;
    }

    private void count(long n) {
      if (n > 0 && (read += n) > max) {
        throw new SpecException(file + ": is more than " + max + " bytes read from a pipe or device; give a file");
      }
    }

    @Override
    public int read() throws IOException {
      int b = super.read();
      count(b < 0 ? 0 : 1);
      return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n = super.read(b, off, len);
      count(n);
      return n;
    }
  }

  /**
   * Reads a whole file into memory, in file order; {@code warning} gets the {@link #ignoredSummary()} and the
   * {@link #missingSummary()}, if any.
   */
  public static List<Observation> readAll(Path file, Consumer<String> warning) {
    try (SeriesCsvReader reader = open(file)) {
      List<Observation> rows = reader.toList();
      reader.ignoredSummary().ifPresent(warning);
      reader.missingSummary().ifPresent(warning);
      return rows;
    }
  }

  /** Reads everything left, in file order. */
  public List<Observation> toList() {
    List<Observation> out = new ArrayList<>();
    forEachRemaining(out::add);
    return out;
  }

  /**
   * One line for a warning when rows had a missing-value marker ({@code data.csv: 3 rows with a missing value (NA,
   * NaN, null or empty) read as missing steps, the first at line 52}); empty when there were none.
   */
  public Optional<String> missingSummary() {
    return missing == 0 ? Optional.empty() : Optional.of(source + ": " + missing + " row" + (missing == 1 ? "" : "s")
        + " with a missing value (" + MISSING_MARKERS + ") read as missing steps, the first at line " + firstMissing);
  }

  /**
   * One line for a warning when the header names columns this format does not read ({@code data.csv: column humidity
   * is not read: a file with a value column is key,timestamp,value (...)}); empty when there are none.
   */
  public Optional<String> ignoredSummary() {
    return ignored.isEmpty() ? Optional.empty() : Optional.of(source + ": column"
        + (ignored.size() == 1 ? " " : "s ") + String.join(", ", ignored) + (ignored.size() == 1 ? " is" : " are")
        + " not read: a file with a value column is key,timestamp,value (a wide file, without a value column, is read "
        + "a field per column)");
  }

  /** Whether a cell holds one of the usual markers of a missing value: empty, NA, N/A, NaN, null or None (any case). */
  public static boolean isMissing(String cell) {
    String t = cell.strip();
    return t.isEmpty() || t.equalsIgnoreCase("NA") || t.equalsIgnoreCase("N/A") || t.equalsIgnoreCase("NaN")
        || t.equalsIgnoreCase("null") || t.equalsIgnoreCase("None");
  }

  /** The keys seen so far, each once. */
  public int keysSeen() {
    return keys.size();
  }

  @Override
  public boolean hasNext() {
    if (next == null) {
      next = readRow();
    }
    return next != null;
  }

  @Override
  public Observation next() {
    if (!hasNext()) {
      throw new NoSuchElementException();
    }
    Observation o = next;
    next = null;
    return o;
  }

  @Override
  public void close() {
    records.close();
  }

  private void readHeader() {
    List<String> header = records.next();
    if (header == null) {
      throw new SpecException(source + ": is empty (expected a header key,timestamp,value)");
    }
    columns = header.size();
    for (int i = 0; i < header.size(); i++) {
      String name = header.get(i).strip().toLowerCase(Locale.ROOT);
      switch (name) {
        case "key" -> keyColumn = headerColumn(keyColumn, i, name);
        case "timestamp" -> timeColumn = headerColumn(timeColumn, i, name);
        case "value" -> valueColumn = headerColumn(valueColumn, i, name);
        default -> {
          if (!name.isEmpty()) {
            ignored.add(header.get(i).strip());
          }
        }
      }
    }
    if (keyColumn < 0 && timeColumn >= 0 && valueColumn >= 0) {
      singleKey = singleKeyOf(source);
    } else {
      require("key", keyColumn, header);
    }
    require("timestamp", timeColumn, header);
    require("value", valueColumn, header);
  }

  private void require(String name, int column, List<String> header) {
    if (column < 0) {
      throw new SpecException(source + ":" + records.line() + ": the header " + quote(String.join(",", header))
          + " has no column " + name + " (expected key,timestamp,value)");
    }
  }

  private int headerColumn(int before, int column, String name) {
    if (before >= 0) {
      throw new SpecException(source + ":" + records.line() + ": the header names column " + name + " twice");
    }
    return column;
  }

  private Observation readRow() {
    List<String> row = records.next();
    while (row != null && row.size() == columns && isMissing(row.get(valueColumn))) {
      if (missing++ == 0) {
        firstMissing = Integer.toString(records.line());
      }
      time(source + ":" + records.line(), row.get(timeColumn)); // a missing value does not excuse a bad timestamp
      row = records.next();
    }
    if (row == null) {
      return null;
    }
    String at = source + ":" + records.line();
    if (row.size() != columns) {
      throw new SpecException(at + ": expected " + columns + " fields like the header, found " + row.size());
    }
    String key = keyColumn < 0 ? singleKey : row.get(keyColumn);
    if (key.isEmpty()) {
      throw SpecException.of(at, "column key", "an empty key is not allowed");
    }
    key = keys.computeIfAbsent(key, k -> k);
    return new Observation(key, time(at, row.get(timeColumn)), value(at, row.get(valueColumn)));
  }

  /** Parses an ISO-8601 instant, offset date-time or date (midnight UTC). */
  static Instant time(String at, String text) {
    String t = text.strip();
    try {
      return Instant.parse(t);
    } catch (DateTimeParseException e) {
      // try the other forms below
    }
    try {
      return OffsetDateTime.parse(t).toInstant();
    } catch (DateTimeParseException e) {
      // try the other forms below
    }
    try {
      return LocalDate.parse(t).atStartOfDay().toInstant(ZoneOffset.UTC);
    } catch (DateTimeParseException e) {
      // try the other forms below
    }
    try {
      // a date-time without a zone, as R's format() and pandas write it ('T' or a space): read as UTC, so a local
      // clock's daylight-saving changes do not break its regular steps
      return LocalDateTime.parse(t.length() > 10 && t.charAt(10) == ' ' ? t.substring(0, 10) + 'T' + t.substring(11)
          : t).toInstant(ZoneOffset.UTC);
    } catch (DateTimeParseException e) {
      // try the other forms below
    }
    try {
      // ISO-8601's reduced precisions for monthly and yearly data: the first day, midnight UTC
      if (YEAR.matcher(t).matches()) {
        return Year.parse(t).atDay(1).atStartOfDay().toInstant(ZoneOffset.UTC);
      }
      return YearMonth.parse(t).atDay(1).atStartOfDay().toInstant(ZoneOffset.UTC);
    } catch (DateTimeParseException e) {
      String reason = t.isEmpty() ? "an empty timestamp is not allowed" : quote(text) + " is not an ISO-8601 time";
      throw SpecException.of(at, "column timestamp", reason + " " + TIME_EXAMPLE);
    }
  }

  /** Parses a finite decimal number (no hex, no type suffixes, no NaN). */
  static double value(String at, String text) {
    String t = text.strip();
    if (t.isEmpty()) {
      throw SpecException.of(at, "column value", "an empty value is not allowed here");
    }
    if (!NUMBER.matcher(t).matches()) {
      throw SpecException.of(at, "column value", quote(text) + " is not a number");
    }
    double v = Double.parseDouble(t);
    if (!Double.isFinite(v)) {
      throw SpecException.of(at, "column value", quote(text) + " is not a finite number");
    }
    return v;
  }

  /** {@code data/sales.csv} → {@code sales}; {@code stdin} stays. */
  static String singleKeyOf(String source) {
    String name = source.replace('\\', '/');
    name = name.substring(name.lastIndexOf('/') + 1);
    int dot = name.lastIndexOf('.');
    return dot > 0 ? name.substring(0, dot) : name;
  }

  static String quote(String text) {
    return Durations.quote(text); // a cell is echoed to a terminal: its control characters escaped, its length cut
  }
}
