package org.streamcast.dataset;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.streamcast.config.SpecException;
import org.streamcast.domain.Observation;

class SeriesCsvReaderTest {

  private static List<Observation> read(String csv) {
    try (SeriesCsvReader reader = SeriesCsvReader.open("data.csv",
        new ByteArrayInputStream(csv.getBytes(StandardCharsets.UTF_8)))) {
      return reader.toList();
    }
  }

  private static Observation obs(String key, String time, double value) {
    return new Observation(key, Instant.parse(time), value);
  }

  @Test
  void shouldReadRowsInFileOrderWhenFileIsValid() {
    List<Observation> rows = read("key,timestamp,value\n"
        + "taylor,2000-06-05T00:00:00Z,22262\n"
        + "taylor,2000-06-05T00:30:00Z,21756.5\n"
        + "CAC,1991-07-01T00:00:00Z,-1.5e3\n");
    assertEquals(List.of(obs("taylor", "2000-06-05T00:00:00Z", 22262), obs("taylor", "2000-06-05T00:30:00Z", 21756.5),
        obs("CAC", "1991-07-01T00:00:00Z", -1500)), rows);
  }

  @Test
  void shouldReadEveryTimestampFormWhenZoneIsKnown() {
    List<Observation> rows = read("key,timestamp,value\n"
        + "a,2000-06-05T01:30:00+01:00,1\n"
        + "a,2000-06-05T00:31Z,2\n"
        + "a,2000-06-06,3\n"
        + "a,2000-06-05T00:30:00.250Z,4\n");
    assertEquals(Instant.parse("2000-06-05T00:30:00Z"), rows.get(0).time());
    assertEquals(Instant.parse("2000-06-05T00:31:00Z"), rows.get(1).time());
    assertEquals(Instant.parse("2000-06-06T00:00:00Z"), rows.get(2).time());
    assertEquals(Instant.parse("2000-06-05T00:30:00.250Z"), rows.get(3).time());
  }

  @Test
  void shouldReadUtcWhenATimestampHasNoZoneOrIsAMonthOrAYear() {
    List<Observation> rows = read("key,timestamp,value\n"
        + "a,2000-06-05T00:30:00,1\n"
        + "a,2000-06-05 00:31,2\n"
        + "a,1974-01,3\n"
        + "a,1871,4\n");
    assertEquals(Instant.parse("2000-06-05T00:30:00Z"), rows.get(0).time());
    assertEquals(Instant.parse("2000-06-05T00:31:00Z"), rows.get(1).time());
    assertEquals(Instant.parse("1974-01-01T00:00:00Z"), rows.get(2).time());
    assertEquals(Instant.parse("1871-01-01T00:00:00Z"), rows.get(3).time());
  }

  @Test
  void shouldReadEveryKeyWhenAByteOrderMarkPrecedesAQuotedHeader() {
    List<Observation> rows = read("\uFEFF\"key\",\"timestamp\",\"value\"\n"
        + "\"a\",\"2000-01\",1\n"
        + "\"b\",\"2000-01\",2\n");
    assertEquals(List.of("a", "b"), rows.stream().map(Observation::key).toList());
  }

  @Test
  void shouldNameTheFieldWhenAQuoteRunsAway() {
    String runaway = "key,timestamp,value\n\"a" + "x".repeat(CsvRecords.MAX_FIELD_CHARS) + "\n";
    SpecException e = assertThrows(SpecException.class, () -> read(runaway));
    assertEquals("data.csv:2: field 1 is longer than " + CsvRecords.MAX_FIELD_CHARS + " characters", e.getMessage());
  }

  @Test
  void shouldUnquoteKeysWhenFieldsAreQuoted() {
    List<Observation> rows = read("key,timestamp,value\n"
        + "\"New York, NY/temp\",2012-01-01T00:00:00Z,12.8\n"
        + "\"say \"\"hi\"\"\",2012-01-01T00:00:00Z,1\n"
        + "\"two\nlines\",2012-01-01T00:00:00Z,2\n");
    assertEquals("New York, NY/temp", rows.get(0).key());
    assertEquals("say \"hi\"", rows.get(1).key());
    assertEquals("two\nlines", rows.get(2).key());
    assertEquals(3, rows.size());
  }

  @Test
  void shouldCountLinesInsideQuotedFieldsWhenReportingErrors() {
    SpecException e = assertThrows(SpecException.class, () -> read("key,timestamp,value\n"
        + "\"two\nlines\",2012-01-01T00:00:00Z,1\n"
        + "a,2012-01-01T00:00:00Z,x\n"));
    assertEquals("data.csv:4: column value: \"x\" is not a number", e.getMessage());
  }

  @Test
  void shouldStopReadingWithOneLineWhenAPipeOrDeviceGoesOnPastItsBound() {
    Path zero = Path.of("/dev/zero");
    Assumptions.assumeTrue(Files.exists(zero));
    SpecException e = assertThrows(SpecException.class, () -> {
      try (SeriesCsvReader r = SeriesCsvReader.open(zero, 1000)) {
        r.toList();
      }
    });
    assertEquals("/dev/zero: is more than 1000 bytes read from a pipe or device; give a file", e.getMessage());
  }

  @Test
  void shouldEscapeControlCharactersWhenACellIsEchoedInAnError() {
    SpecException e = assertThrows(SpecException.class, () -> read("key,timestamp,value\n"
        + "a,2012-01-01T00:00:00Z,\u001b]0;owned\u0007\n"));
    assertEquals("data.csv:2: column value: \"\\u001b]0;owned\\u0007\" is not a number", e.getMessage());
  }

  @Test
  void shouldSkipBlankLinesAndHandleCrLfAndBomWhenPresent() {
    List<Observation> rows = read("\uFEFFkey,timestamp,value\r\n\r\n"
        + "a,2000-01-01T00:00:00Z,1\r\n   \r\n"
        + "\n"
        + "b,2000-01-01T00:00:00Z,2");
    assertEquals(List.of(obs("a", "2000-01-01T00:00:00Z", 1), obs("b", "2000-01-01T00:00:00Z", 2)), rows);
  }

  @Test
  void shouldFindColumnsByNameWhenOrderDiffersOrExtraColumnsExist() {
    List<Observation> rows = read("Value,source,TIMESTAMP,Key\n3.5,meter,2000-01-01T00:00:00Z,k1\n");
    assertEquals(List.of(obs("k1", "2000-01-01T00:00:00Z", 3.5)), rows);
  }

  @ParameterizedTest(name = "[{index}] {1}")
  @CsvSource(delimiter = '|', quoteCharacter = '\'', value = {
      "'' | data.csv: is empty (expected a header key,timestamp,value)",
      "'\n\n' | data.csv: is empty (expected a header key,timestamp,value)",
      "'key,time,value\na,2000-01-01,1\n' | data.csv:1: the header \"key,time,value\" has no column timestamp "
          + "(expected key,timestamp,value)",
      "'\nkey,timestamp\n' | data.csv:2: the header \"key,timestamp\" has no column value (expected "
          + "key,timestamp,value)",
      "'key,timestamp,value,key\n' | data.csv:1: the header names column key twice",
      "'key,timestamp,value\na,2000-01-01T00:00:00Z\n' | data.csv:2: expected 3 fields like the header, found 2",
      "'key,timestamp,value\n\na,2000-01-01T00:00:00Z,1,2\n' | data.csv:3: expected 3 fields like the header, found 4",
      "'key,timestamp,value\n,2000-01-01T00:00:00Z,1\n' | data.csv:2: column key: an empty key is not allowed",
      "'key,timestamp,value\na,2000-13-01T00:00:00Z,1\n' | data.csv:2: column timestamp: \"2000-13-01T00:00:00Z\" is "
          + "not an ISO-8601 time (e.g. 2000-06-05T00:30:00Z)",
      "'key,timestamp,value\na,yesterday,1\n' | data.csv:2: column timestamp: \"yesterday\" is not an ISO-8601 time "
          + "(e.g. 2000-06-05T00:30:00Z)",
      "'key,timestamp,value\na,959990400000,1\n' | data.csv:2: column timestamp: \"959990400000\" is not an ISO-8601 "
          + "time (e.g. 2000-06-05T00:30:00Z)",
      "'key,timestamp,value\na,,1\n' | data.csv:2: column timestamp: an empty timestamp is not allowed "
          + "(e.g. 2000-06-05T00:30:00Z)",
      "'key,timestamp,value\na,2000-06-05 00:30:00 CET,1\n' | data.csv:2: column timestamp: \"2000-06-05 00:30:00 "
          + "CET\" is not an ISO-8601 time (e.g. 2000-06-05T00:30:00Z)",
      "'key,timestamp,value\na,20001,1\n' | data.csv:2: column timestamp: \"20001\" is not an ISO-8601 time "
          + "(e.g. 2000-06-05T00:30:00Z)",
      "'key,timestamp,value\na,yesterday,NA\n' | data.csv:2: column timestamp: \"yesterday\" is not an ISO-8601 time "
          + "(e.g. 2000-06-05T00:30:00Z)",
      "'key,timestamp,value\na,2000-01-01T00:00:00Z,-NaN\n' | data.csv:2: column value: \"-NaN\" is not a number",
      "'key,timestamp,value\na,2000-01-01T00:00:00Z,Infinity\n' | data.csv:2: column value: \"Infinity\" is not a "
          + "number",
      "'key,timestamp,value\na,2000-01-01T00:00:00Z,1e999\n' | data.csv:2: column value: \"1e999\" is not a finite "
          + "number",
      "'key,timestamp,value\na,2000-01-01T00:00:00Z,1d\n' | data.csv:2: column value: \"1d\" is not a number",
      "'key,timestamp,value\na,2000-01-01T00:00:00Z,0x10\n' | data.csv:2: column value: \"0x10\" is not a number",
      "'key,timestamp,value\n\"a,2000-01-01T00:00:00Z,1\n' | data.csv:2: a quoted field is not closed",
      "'key,timestamp,value\n\"a\"b,2000-01-01T00:00:00Z,1\n' | data.csv:2: unexpected text after the closing quote "
          + "of field 1"})
  void shouldNameSourceLineColumnAndValueWhenRowIsBad(String csv, String message) {
    SpecException e = assertThrows(SpecException.class, () -> read(csv));
    assertEquals(message, e.getMessage());
  }

  @Test
  void shouldNameLineWhenTextIsNotUtf8() {
    byte[] bytes = "key,timestamp,value\na,2000-01-01T00:00:00Z,1\n\u00e9".getBytes(StandardCharsets.ISO_8859_1);
    SpecException e = assertThrows(SpecException.class, () -> SeriesCsvReader.open("data.csv",
        new ByteArrayInputStream(bytes)).toList());
    assertEquals("data.csv:3: is not UTF-8 text", e.getMessage());
  }

  @Test
  void shouldFailNamingFileWhenFileMissing(@TempDir Path dir) {
    Path missing = dir.resolve("none.csv");
    SpecException e = assertThrows(SpecException.class, () -> SeriesCsvReader.readAll(missing, w -> { }));
    assertEquals(missing + ": no such file", e.getMessage());
  }

  @Test
  void shouldReadFileWhenGivenPath(@TempDir Path dir) throws IOException {
    Path file = Files.writeString(dir.resolve("s.csv"), "key,timestamp,value\nk,2000-01-01T00:00:00Z,7\n");
    assertEquals(List.of(obs("k", "2000-01-01T00:00:00Z", 7)), SeriesCsvReader.readAll(file, w -> { }));
  }

  @Test
  void shouldReadMissingValueMarkersAsMissingRowsAndSayHowManyWhenValuesAreNaOrEmpty(@TempDir Path dir)
      throws IOException {
    Path file = Files.writeString(dir.resolve("s.csv"), "key,timestamp,value\nk,2000-01-01T00:00:00Z,7\n"
        + "k,2000-01-02T00:00:00Z,NA\nk,2000-01-03T00:00:00Z,\nk,2000-01-04T00:00:00Z, nan \n"
        + "k,2000-01-05T00:00:00Z,null\nk,2000-01-06T00:00:00Z,N/A\nk,2000-01-07T00:00:00Z,8\n");
    List<String> warnings = new java.util.ArrayList<>();
    assertEquals(List.of(obs("k", "2000-01-01T00:00:00Z", 7), obs("k", "2000-01-07T00:00:00Z", 8)),
        SeriesCsvReader.readAll(file, warnings::add));
    assertEquals(List.of(file + ": 5 rows with a missing value (NA, NaN, null or empty) read as missing steps, the "
        + "first at line 3"), warnings);
  }

  @Test
  void shouldYieldRowsBeforeTheRestOfTheStreamArrivesWhenStreaming() {
    byte[] first = "key,timestamp,value\nk,2000-01-01T00:00:00Z,7\n".getBytes(StandardCharsets.UTF_8);
    InputStream stream = new InputStream() {
      private int at;

      @Override
      public int read() throws IOException {
        if (at < first.length) {
          return first[at++];
        }
        throw new IOException("the producer of this pipe has not written more yet");
      }

      @Override
      public int read(byte[] b, int off, int len) throws IOException {
        if (at >= first.length) {
          throw new IOException("the producer of this pipe has not written more yet");
        }
        int n = Math.min(len, first.length - at);
        System.arraycopy(first, at, b, off, n);
        at += n;
        return n;
      }
    };
    SeriesCsvReader reader = SeriesCsvReader.open("stdin", stream);
    assertTrue(reader.hasNext());
    assertEquals(obs("k", "2000-01-01T00:00:00Z", 7), reader.next());
    UncheckedIOException e = assertThrows(UncheckedIOException.class, reader::hasNext);
    assertEquals("stdin:3: read failed: the producer of this pipe has not written more yet", e.getMessage());
    assertEquals(1, reader.keysSeen());
    assertFalse(e.getMessage().contains("\n"));
  }

  @Test
  void shouldReadOneSeriesKeyedByTheFileNameWhenTheHeaderHasNoKeyColumn(@TempDir Path dir) throws IOException {
    Path file = Files.writeString(dir.resolve("sales.2024.csv"), "date,value,timestamp\nx,7,2000-01-01\n");
    assertEquals(List.of(obs("sales.2024", "2000-01-01T00:00:00Z", 7)), SeriesCsvReader.readAll(file, w -> { }));
    SpecException e = assertThrows(SpecException.class, () -> SeriesCsvReader.open("data.csv",
        new ByteArrayInputStream("date,value\n".getBytes(StandardCharsets.UTF_8))));
    assertEquals("data.csv:1: the header \"date,value\" has no column key (expected key,timestamp,value)",
        e.getMessage());
  }

  @Test
  void shouldNameTheColumnsItDoesNotReadWhenTheHeaderHasMore(@TempDir Path dir) throws IOException {
    Path file = Files.writeString(dir.resolve("s.csv"), "\"\",key,timestamp,value,humidity\n1,k,2000-01-01,7,40\n");
    List<String> warnings = new java.util.ArrayList<>();
    assertEquals(List.of(obs("k", "2000-01-01T00:00:00Z", 7)), SeriesCsvReader.readAll(file, warnings::add));
    assertEquals(List.of(file + ": column humidity is not read: a file with a value column is key,timestamp,value (a "
        + "wide file, without a value column, is read a field per column)"), warnings,
        "R's unnamed row-name column is not worth a warning");
  }
}
