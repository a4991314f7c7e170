package org.streamcast.dataset;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.util.ArrayList;
import java.util.List;
import org.streamcast.config.SpecException;

/**
 * Splits CSV text into records of fields, RFC 4180 style: comma separators, double-quoted fields that may hold commas,
 * line breaks and doubled quotes; LF, CRLF or CR line ends. Blank lines (empty or only spaces) are skipped. A byte
 * order mark at the start is not text (R's {@code write.csv(fileEncoding = "UTF-8-BOM")} and Excel write one before a
 * quoted header). Knows the line each record starts on, for error messages.
 */
final class CsvRecords {
  /** Longest field: a record is read whole, so one unbounded field (a runaway quote, a binary file) fills memory. */
  static final int MAX_FIELD_CHARS = 1 << 20;

  private final String source;
  private final Reader in;
  private boolean started;
  private int lineNumber = 1;
  private int recordLine;
  private int pushedBack = -2;

  CsvRecords(String source, Reader in) {
    this.source = source;
    this.in = in;
  }

  /** The line the last record returned by {@link #next()} starts on (1-based). */
  int line() {
    return recordLine;
  }

  /** The next non-blank record, or {@code null} at the end. */
  List<String> next() {
    while (true) {
      recordLine = lineNumber;
      int c = read();
      if (c == -1) {
        return null;
      }
      if (c == '\n' || c == '\r') {
        endOfLine(c);
        continue;
      }
      unread(c);
      List<String> record = record();
      if (record.size() > 1 || !record.get(0).isBlank()) {
        return record;
      }
    }
  }

  private List<String> record() {
    List<String> fields = new ArrayList<>();
    StringBuilder field = new StringBuilder();
    while (true) {
      int c = read();
      if (c == '"' && field.isEmpty()) {
        quoted(field, fields.size() + 1);
        c = read();
        if (c != ',' && c != '\n' && c != '\r' && c != -1) {
          throw new SpecException(source + ":" + lineNumber + ": unexpected text after the closing quote of field "
              + (fields.size() + 1));
        }
      }
      if (c == ',') {
        fields.add(field.toString());
        field.setLength(0);
      } else if (c == '\n' || c == '\r' || c == -1) {
        fields.add(field.toString());
        if (c != -1) {
          endOfLine(c);
        }
        return fields;
      } else {
        append(field, (char) c, fields.size() + 1);
      }
    }
  }

  private void append(StringBuilder field, char c, int number) {
    if (field.length() >= MAX_FIELD_CHARS) {
      throw new SpecException(source + ":" + lineNumber + ": field " + number + " is longer than " + MAX_FIELD_CHARS
          + " characters");
    }
    field.append(c);
  }

  private void quoted(StringBuilder field, int number) {
    int start = lineNumber;
    while (true) {
      int c = read();
      if (c == -1) {
        throw new SpecException(source + ":" + start + ": a quoted field is not closed");
      }
      if (c == '"') {
        int after = read();
        if (after == '"') {
          append(field, '"', number);
          continue;
        }
        unread(after);
        return;
      }
      if (c == '\n' || c == '\r') {
        endOfLine(c);
        append(field, '\n', number);
        continue;
      }
      append(field, (char) c, number);
    }
  }

  /** Counts a line end; a CR followed by LF is one. */
  private void endOfLine(int c) {
    lineNumber++;
    if (c == '\r') {
      int after = read();
      if (after != '\n') {
        unread(after);
      }
    }
  }

  private int read() {
    if (pushedBack != -2) {
      int c = pushedBack;
      pushedBack = -2;
      return c;
    }
    try {
      int c = in.read();
      if (!started) {
        started = true;
        if (c == '\uFEFF') {
          c = in.read();
        }
      }
      return c;
    } catch (CharacterCodingException e) {
      throw new SpecException(source + ":" + lineNumber + ": is not UTF-8 text");
    } catch (IOException e) {
      throw new UncheckedIOException(source + ":" + lineNumber + ": read failed: " + e.getMessage(), e);
    }
  }

  private void unread(int c) {
    pushedBack = c;
  }

  void close() {
    try {
      in.close();
    } catch (IOException e) {
      throw new UncheckedIOException(source + ": close failed: " + e.getMessage(), e);
    }
  }
}
