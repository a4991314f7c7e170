package org.streamcast.dataset;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.streamcast.config.SpecException;

class WideCsvReaderTest {
  @TempDir
  Path dir;

  private Path file(String csv) throws IOException {
    Path p = dir.resolve("wide.csv");
    Files.writeString(p, csv);
    return p;
  }

  @Test
  void shouldPutTargetFirstThenCovariatesInAskedOrderWhenTargetNamed() throws IOException {
    Path p = file("key,timestamp,temp,wind,rain\nNY,2012-01-01,10,5.1,1.8\nNY,2012-01-02,11,4,\n");
    WideCsvReader.Table t = WideCsvReader.read(p, "wind", null);
    assertEquals("wind", t.target());
    assertEquals(List.of("temp", "rain"), t.covariates());
    assertEquals(Instant.parse("2012-01-01T00:00:00Z"), t.rows().get(0).time());
    assertArrayEquals(new double[] {5.1, 10, 1.8}, t.rows().get(0).values(), 0);
    assertTrue(WideCsvReader.isWide(p));
  }

  @Test
  void shouldReadEmptyCovariateCellAsMissingWhenTargetPresent() throws IOException {
    Path p = file("key,timestamp,temp,wind\nNY,2012-01-01,10,\n");
    WideCsvReader.Table t = WideCsvReader.read(p, null, List.of("wind"));
    assertEquals("temp", t.target());
    assertTrue(Double.isNaN(t.rows().get(0).values()[1]));
  }

  @Test
  void shouldLeaveOutTheRowAndCountItWhenTargetCellIsAMissingValueMarker() throws IOException {
    Path p = file("key,timestamp,temp,wind\nNY,2012-01-01,,3\nNY,2012-01-02,NA,4\nNY,2012-01-03,5,NA\n");
    WideCsvReader.Table t = WideCsvReader.read(p, null, null);
    assertEquals(1, t.rows().size());
    assertEquals(5, t.rows().get(0).values()[0]);
    assertTrue(Double.isNaN(t.rows().get(0).values()[1]));
    assertEquals(2, t.missingTargets());
    assertEquals(p + ": 2 rows with a missing temp (NA, NaN, null or empty) read as missing steps",
        t.missingSummary(p.toString()).orElseThrow());
  }

  @Test
  void shouldRejectWithLineAndColumnWhenTargetCellIsNotANumber() throws IOException {
    Path p = file("key,timestamp,temp,wind\nNY,2012-01-01,warm,3\n");
    SpecException e = assertThrows(SpecException.class, () -> WideCsvReader.read(p, null, null));
    assertEquals(p + ":2: column temp: \"warm\" is not a number", e.getMessage());
  }

  @Test
  void shouldReadEveryValueColumnInFileOrderWithAnyCellEmptyWhenReadAsEvents() throws IOException {
    Path p = file("key,timestamp,temp,wind\nNY,2012-01-01,,3\nNY,2012-01-02,4,\n");
    WideCsvReader.Table t = WideCsvReader.readEvents("stdin", Files.newInputStream(p));
    assertEquals("temp", t.target());
    assertEquals(List.of("wind"), t.covariates());
    assertArrayEquals(new double[] {Double.NaN, 3}, t.rows().get(0).values(), 0);
    assertArrayEquals(new double[] {4, Double.NaN}, t.rows().get(1).values(), 0);
    SpecException e = assertThrows(SpecException.class, () -> WideCsvReader.readEvents("stdin",
        new java.io.ByteArrayInputStream("key,timestamp,temp\nNY,2012-01-01,warm\n".getBytes())));
    assertEquals("stdin:2: column temp: \"warm\" is not a number", e.getMessage());
  }

  @Test
  void shouldRejectNamingTheColumnsWhenTargetIsNotAColumn() throws IOException {
    Path p = file("key,timestamp,temp,wind\nNY,2012-01-01,1,3\n");
    SpecException e = assertThrows(SpecException.class, () -> WideCsvReader.read(p, "rain", null));
    assertEquals("--target: \"rain\" is not a value column of " + p + " (key, timestamp, temp, wind)",
        e.getMessage());
    SpecException c = assertThrows(SpecException.class, () -> WideCsvReader.read(p, "temp", List.of("timestamp")));
    assertTrue(c.getMessage().startsWith("--covariates: \"timestamp\" is not a value column"), c.getMessage());
  }

  @Test
  void shouldNotBeWideWhenHeaderHasValueColumn() throws IOException {
    assertFalse(WideCsvReader.isWide(file("key,timestamp,value\nk,2012-01-01,1\n")));
    assertFalse(WideCsvReader.isWide(file("\"\",key,timestamp,value\n1,k,2012-01-01,1\n")), "R's row names");
  }

  @Test
  void shouldReadValueAsOneFieldAmongOthersWhenTheHeaderNamesMoreColumns() throws IOException {
    Path p = file("key,timestamp,value,wind\nk,2012-01-01T00:00:00Z,1.5,3\nk,2012-01-02T00:00:00Z,2.5,\n");
    assertTrue(WideCsvReader.isWide(p), "a target named value with a covariate");
    WideCsvReader.Table t = WideCsvReader.read(p, "value", List.of("wind"));
    assertEquals("value", t.target());
    assertEquals(List.of("wind"), t.covariates());
    assertEquals(2, t.rows().size());
    assertEquals(3.0, t.rows().get(0).values()[1]);
    assertTrue(Double.isNaN(t.rows().get(1).values()[1]), "an empty covariate cell");
  }
}
