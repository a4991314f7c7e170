package org.streamcast.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DurationsTest {

  @ParameterizedTest(name = "{0} = {1} ms")
  @CsvSource({
      "500ms, 500",
      "30s, 30000",
      "5m, 300000",
      "1h, 3600000",
      "1d, 86400000",
      "2w, 1209600000",
      "1h30m, 5400000",
      "1d12h, 129600000",
      "0, 0",
      "0s, 0",
      "' 30m ', 1800000",
      "PT30M, 1800000",
      "pt1h, 3600000",
      "P1D, 86400000",
      "PT0.5S, 500"})
  void shouldParseWhenTextIsADuration(String text, long millis) {
    assertEquals(Duration.ofMillis(millis), Durations.parse("f.yaml", "window.step", text));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "5 minuts | f.yaml: window.step: \"5 minuts\" is not a duration (try 30s, 5m, 1h)",
      "30       | f.yaml: window.step: \"30\" is not a duration (try 30s, 5m, 1h)",
      "30M      | f.yaml: window.step: \"30M\" is not a duration (try 30s, 5m, 1h)",
      "1.5h     | f.yaml: window.step: \"1.5h\" is not a duration (try 30s, 5m, 1h)",
      "30 s     | f.yaml: window.step: \"30 s\" is not a duration (try 30s, 5m, 1h)",
      "h        | f.yaml: window.step: \"h\" is not a duration (try 30s, 5m, 1h)",
      "-5m      | f.yaml: window.step: \"-5m\" is negative (a duration must be 0 or more)",
      "PT-5M    | f.yaml: window.step: \"PT-5M\" is negative (a duration must be 0 or more)",
      "PT5X     | f.yaml: window.step: \"PT5X\" is not a duration (try 30s, 5m, 1h)",
      "99999999999999999999w | f.yaml: window.step: \"99999999999999999999w\" is too long a duration",
      "PT99999999999H | f.yaml: window.step: \"PT99999999999H\" is too long a duration"})
  void shouldFailWithOneLineWhenTextIsNotADuration(String text, String message) {
    SpecException e = assertThrows(SpecException.class, () -> Durations.parse("f.yaml", "window.step", text));
    assertEquals(message, e.getMessage());
  }

  @Test
  void shouldFailWhenTextIsEmpty() {
    SpecException e = assertThrows(SpecException.class, () -> Durations.parse("streamcast", "--duration", " "));
    assertEquals("streamcast: --duration: empty text is not a duration (try 30s, 5m, 1h)", e.getMessage());
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({"30m, 1800000", "1h30m, 5400000", "1w, 604800000", "1d, 86400000", "500ms, 500", "0s, 0",
      "2w1d1h1m1s1ms, 1299661001"})
  void shouldFormatShortestFormWhenFormatting(String text, long millis) {
    assertEquals(text, Durations.format(Duration.ofMillis(millis)));
    assertEquals(Duration.ofMillis(millis), Durations.parse("f", "f", Durations.format(Duration.ofMillis(millis))));
  }

  @Test
  void shouldFallBackToIsoWhenFormattingSubMillisecond() {
    assertEquals("PT0.0000005S", Durations.format(Duration.ofNanos(500)));
  }
}
