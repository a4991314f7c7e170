package org.streamcast.training.backtest;

import java.util.ArrayList;
import java.util.List;

/** Minimal RFC 4180 text handling for the backtest's CSV files: quoting on write, splitting on read. */
final class CsvText {

  private CsvText() {}

  /** The field as CSV: quoted (with doubled quotes) when it holds a comma, a quote or a line break. */
  static String field(String s) {
    if (s.indexOf(',') < 0 && s.indexOf('"') < 0 && s.indexOf('\n') < 0 && s.indexOf('\r') < 0) {
      return s;
    }
    return '"' + s.replace("\"", "\"\"") + '"';
  }

  /** A number as CSV: {@code Double.toString}, {@code NaN} as {@code NaN}. */
  static String number(double v) {
    return Double.toString(v);
  }

  /**
   * Splits one line into fields. Quoted fields may hold commas and doubled quotes.
   *
   * @return the fields, or {@code null} when a quote is not closed
   */
  static List<String> split(String line) {
    List<String> out = new ArrayList<>();
    StringBuilder cur = new StringBuilder();
    boolean quoted = false;
    boolean wasQuoted = false;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (quoted) {
        if (c == '"') {
          if (i + 1 < line.length() && line.charAt(i + 1) == '"') {
            cur.append('"');
            i++;
          } else {
            quoted = false;
          }
        } else {
          cur.append(c);
        }
      } else if (c == '"' && cur.length() == 0 && !wasQuoted) {
        quoted = true;
        wasQuoted = true;
      } else if (c == ',') {
        out.add(wasQuoted ? cur.toString() : cur.toString().trim());
        cur.setLength(0);
        wasQuoted = false;
      } else {
        cur.append(c);
      }
    }
    if (quoted) {
      return null;
    }
    out.add(wasQuoted ? cur.toString() : cur.toString().trim());
    return out;
  }
}
