package org.streamcast.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.streamcast.config.PipelineSpec;
import org.streamcast.domain.DeadLetterReason;
import org.streamcast.domain.Measurement;

class EventParserTest {
  private static final PipelineSpec.Input KEYED = new PipelineSpec.Input("t.events", "key", "ts",
      PipelineSpec.TimeFormat.AUTO, List.of("value"), "value");
  private static final PipelineSpec.Input RECORD_KEYED = new PipelineSpec.Input("t.events", null, "ts",
      PipelineSpec.TimeFormat.AUTO, List.of("value"), "value");
  private static final String TS = "\"2012-03-01T00:00:00Z\"";

  private static EventParser.Result parse(PipelineSpec.Input input, byte[] key, byte[] value) {
    return new EventParser(input).parse(key, value, 0);
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static String event(String key, String value) {
    return "{\"key\":" + key + ",\"ts\":" + TS + ",\"value\":" + value + "}";
  }

  private static EventParser.Failed failed(EventParser.Result r) {
    return assertInstanceOf(EventParser.Failed.class, r);
  }

  static Stream<Arguments> hostileValues() {
    byte[] utf16 = event("\"k\"", "1").getBytes(StandardCharsets.UTF_16LE);
    byte[] utf16Bom = event("\"k\"", "1").getBytes(StandardCharsets.UTF_16);
    byte[] utf32 = event("\"k\"", "1").getBytes(java.nio.charset.Charset.forName("UTF-32BE"));
    byte[] overlong = utf8(event("\"k\\u0000\"", "1").replace("\\u0000", "X"));
    overlong[9] = (byte) 0xC0; // an overlong encoding of '/' would need two bytes: C0 AF
    byte[] overlong2 = java.util.Arrays.copyOf(overlong, overlong.length + 1);
    System.arraycopy(overlong, 10, overlong2, 11, overlong.length - 10);
    overlong2[10] = (byte) 0xAF;
    byte[] surrogate = utf8(event("\"kXXX\"", "1"));
    surrogate[10] = (byte) 0xED; // U+D800 encoded directly: not UTF-8
    surrogate[11] = (byte) 0xA0;
    surrogate[12] = (byte) 0x80;
    byte[] nul = utf8(event("\"k\"", "1") + "\0");
    return Stream.of(
        Arguments.of("duplicate value", utf8("{\"key\":\"k\",\"ts\":" + TS + ",\"value\":1,\"value\":2}"),
            DeadLetterReason.DUPLICATE_FIELD, "field \"value\" appears more than once"),
        Arguments.of("duplicate key", utf8("{\"key\":\"k\",\"key\":\"other\",\"ts\":" + TS + ",\"value\":1}"),
            DeadLetterReason.DUPLICATE_FIELD, "\"key\""),
        Arguments.of("duplicate nested", utf8("{\"key\":\"k\",\"ts\":" + TS + ",\"value\":1,\"m\":{\"a\":1,\"a\":2}}"),
            DeadLetterReason.DUPLICATE_FIELD, "\"a\""),
        Arguments.of("second object", utf8(event("\"k\"", "1") + event("\"k\"", "2")), DeadLetterReason.TRAILING_DATA,
            "START_OBJECT"),
        Arguments.of("garbage", utf8(event("\"k\"", "1") + " xyz"), DeadLetterReason.TRAILING_DATA, "xyz"),
        Arguments.of("number after", utf8(event("\"k\"", "1") + "\n42"), DeadLetterReason.TRAILING_DATA, "VALUE_NUMBER"),
        Arguments.of("utf-16le", utf16, DeadLetterReason.BAD_ENCODING, "NUL byte at 1 (UTF-16 or UTF-32 text?)"),
        Arguments.of("utf-16 bom", utf16Bom, DeadLetterReason.BAD_ENCODING, "UTF-16 byte-order mark"),
        Arguments.of("utf-32", utf32, DeadLetterReason.BAD_ENCODING, "NUL byte at 0"),
        Arguments.of("invalid byte", new byte[] {'{', (byte) 0xFF, '}'}, DeadLetterReason.BAD_ENCODING, "at 1: ff"),
        Arguments.of("overlong", overlong2, DeadLetterReason.BAD_ENCODING, "c0 af"),
        Arguments.of("encoded surrogate", surrogate, DeadLetterReason.BAD_ENCODING, "ed a0 80"),
        Arguments.of("raw NUL", nul, DeadLetterReason.BAD_ENCODING, "NUL byte"),
        Arguments.of("NUL in key", utf8(event("\"a\\u0000b\"", "1")), DeadLetterReason.BAD_KEY, "U+0000"),
        Arguments.of("newline in key", utf8(event("\"a\\nb\"", "1")), DeadLetterReason.BAD_KEY, "U+000A"),
        Arguments.of("tab in key", utf8(event("\"a\\tb\"", "1")), DeadLetterReason.BAD_KEY, "U+0009"),
        Arguments.of("DEL in key", utf8(event("\"a\\u007Fb\"", "1")), DeadLetterReason.BAD_KEY, "U+007F"),
        Arguments.of("C1 control in key", utf8(event("\"a\\u0085b\"", "1")), DeadLetterReason.BAD_KEY, "U+0085"),
        Arguments.of("RLO in key", utf8(event("\"abc\u202Egpj.exe\"", "1")), DeadLetterReason.BAD_KEY, "U+202E"),
        Arguments.of("LRE in key", utf8(event("\"a\u202Ab\"", "1")), DeadLetterReason.BAD_KEY, "U+202A"),
        Arguments.of("isolate in key", utf8(event("\"a\u2066b\"", "1")), DeadLetterReason.BAD_KEY, "U+2066"),
        Arguments.of("pop isolate in key", utf8(event("\"a\u2069b\"", "1")), DeadLetterReason.BAD_KEY, "U+2069"),
        Arguments.of("line separator in key", utf8(event("\"a\u2028b\"", "1")), DeadLetterReason.BAD_KEY, "U+2028"),
        Arguments.of("lone surrogate in key", utf8(event("\"a\\uD800b\"", "1")), DeadLetterReason.BAD_KEY, "U+D800"),
        Arguments.of("1e300", utf8(event("\"k\"", "1e300")), DeadLetterReason.OUT_OF_RANGE,
            "field \"value\": 1.0E300 is beyond input.maxAbsValue (1.0E15)"),
        Arguments.of("-1.7e308", utf8(event("\"k\"", "-1.7e308")), DeadLetterReason.OUT_OF_RANGE, "-1.7E308"),
        Arguments.of("1e999", utf8(event("\"k\"", "1e999")), DeadLetterReason.NOT_FINITE, "Infinity is not finite"),
        Arguments.of("key 2 KiB", utf8(event("\"" + "k".repeat(2048) + "\"", "1")), DeadLetterReason.KEY_TOO_LONG,
            "field \"key\" is 2048 bytes, above input.maxKeyBytes (1024)"),
        Arguments.of("record 70 KB", utf8(event("\"k\"", "1").replace("}", ",\"pad\":\"" + "p".repeat(70_000) + "\"}")),
            DeadLetterReason.TOO_LARGE, "above input.maxRecordBytes (65536)"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("hostileValues")
  void shouldDeadLetterWithItsOwnReasonWhenValueIsHostile(String name, byte[] value, DeadLetterReason reason,
      String inDetail) {
    EventParser.Failed f = failed(parse(KEYED, utf8("k"), value));
    assertEquals(reason, f.reason(), f.detail());
    assertTrue(f.detail().contains(inDetail), f.detail());
    assertTrue(f.detail().chars().noneMatch(c -> c < 0x20 || (c >= 0x202A && c <= 0x202E)), "a printable detail");
  }

  @Test
  void shouldAcceptEveryHonestVariantWhenStrict() {
    EventParser parser = new EventParser(KEYED);
    Measurement m = new Measurement("Zürich/温度 🌡", Instant.parse("2012-03-01T00:00:00Z"), new double[] {-1e15});
    for (String json : List.of(
        "{\"key\":\"Zürich/温度 🌡\",\"ts\":" + TS + ",\"value\":-1e15}",
        " \n{\"key\":\"Zürich/温度 🌡\",\"ts\":" + TS + ",\"value\":-1000000000000000.0,\"note\":\"a\\u0000b\"}\n\t ",
        "\uFEFF{\"key\":\"Zürich/温度 🌡\",\"ts\":1330560000000,\"value\":-1e15}")) {
      EventParser.Result r = parser.parse(utf8("anything"), utf8(json), 0);
      assertEquals(new EventParser.Parsed(m), r, json);
    }
    assertEquals(new EventParser.Parsed(new Measurement("k", Instant.parse("2012-03-01T00:00:00Z"),
        new double[] {4.9e-324})), parser.parse(null, utf8(event("\"k\"", "4.9e-324")), 0), "a subnormal is finite");
  }

  @Test
  void shouldCheckRecordKeyStrictlyWhenItIsTheSeriesKey() {
    byte[] latin1 = "Zürich".getBytes(StandardCharsets.ISO_8859_1);
    byte[] value = utf8("{\"ts\":" + TS + ",\"value\":1}");
    EventParser.Failed f = failed(parse(RECORD_KEYED, latin1, value));
    assertEquals(DeadLetterReason.BAD_ENCODING, f.reason());
    assertEquals("record key is not strict UTF-8 text: invalid byte sequence at 1: fc 72 69 63", f.detail());
    // two keys that a lossy decoding would both turn into "Z\uFFFDrich": neither is accepted
    assertEquals(DeadLetterReason.BAD_ENCODING,
        failed(parse(RECORD_KEYED, new byte[] {'Z', (byte) 0xFD, 'r'}, value)).reason());
    assertEquals(DeadLetterReason.BAD_KEY, failed(parse(RECORD_KEYED, utf8("a\u202Eb"), value)).reason());
    assertEquals(DeadLetterReason.BAD_KEY, failed(parse(RECORD_KEYED, utf8("a\nb"), value)).reason());
    assertInstanceOf(EventParser.Parsed.class, parse(RECORD_KEYED, utf8("Zürich"), value));
  }

  @Test
  void shouldRefuseOversizedRecordBeforeDecodingWhenKeyOrHeadersAreHuge() {
    byte[] value = utf8(event("\"k\"", "1"));
    EventParser parser = new EventParser(KEYED);
    EventParser.Failed key = failed(parser.parse(utf8("x".repeat(400_000)), value, 0));
    assertEquals(DeadLetterReason.KEY_TOO_LONG, key.reason());
    assertTrue(key.detail().startsWith("record key is 400000 bytes, above input.maxKeyBytes (1024): \"xxx"),
        key.detail());
    EventParser.Failed headers = failed(parser.parse(utf8("k"), value, 70_000));
    assertEquals(DeadLetterReason.TOO_LARGE, headers.reason());
    assertTrue(headers.detail().contains("headers 70000"), headers.detail());
    // exactly at the limits is accepted
    PipelineSpec.Input tight = new PipelineSpec.Input("t.events", "key", "ts", PipelineSpec.TimeFormat.AUTO,
        List.of("value"), "value", 4, 1024, 10);
    String atLimit = event("\"abcd\"", "-10");
    atLimit = atLimit.replace("}", ",\"pad\":\"" + "p".repeat(1020 - atLimit.length() - 9) + "\"}");
    assertEquals(1020, atLimit.length());
    assertInstanceOf(EventParser.Parsed.class, new EventParser(tight).parse(utf8("abcd"), utf8(atLimit), 0));
    assertEquals(DeadLetterReason.TOO_LARGE,
        failed(new EventParser(tight).parse(utf8("abcd"), utf8(atLimit + " "), 0)).reason());
    assertEquals(DeadLetterReason.KEY_TOO_LONG, failed(new EventParser(tight).parse(utf8("abcde"), value, 0)).reason());
    assertEquals(DeadLetterReason.OUT_OF_RANGE,
        failed(new EventParser(tight).parse(null, utf8(event("\"k\"", "10.000001")), 0)).reason());
  }

  @Test
  void shouldRefuseEpochSecondsAndCountersWhenTimesAreAutoAndTakeThemWhenEpochMillis() {
    String seconds = "{\"key\":\"k\",\"ts\":1700018461,\"value\":1}";
    EventParser.Failed f = failed(parse(KEYED, null, utf8(seconds)));
    assertEquals(DeadLetterReason.BAD_TIMESTAMP, f.reason());
    assertEquals("field \"ts\": 1700018461 would be 1970-01-20T16:13:38.461Z in epoch milliseconds, more likely "
        + "epoch seconds or a counter; send milliseconds or ISO-8601, or set input.timeFormat: epoch_millis to take "
        + "such times as given", f.detail());
    assertEquals(DeadLetterReason.BAD_TIMESTAMP,
        failed(parse(KEYED, null, utf8("{\"key\":\"k\",\"ts\":7,\"value\":1}"))).reason(), "a counter");
    assertEquals(new EventParser.Parsed(new Measurement("k", Instant.ofEpochMilli(EventParser.AUTO_MIN_MILLIS),
        new double[] {1})), parse(KEYED, null, utf8("{\"key\":\"k\",\"ts\":100000000000,\"value\":1}")));
    PipelineSpec.Input millis = new PipelineSpec.Input("t.events", "key", "ts", PipelineSpec.TimeFormat.EPOCH_MILLIS,
        List.of("value"), "value");
    assertEquals(new EventParser.Parsed(new Measurement("k", Instant.ofEpochMilli(1700018461L), new double[] {1})),
        parse(millis, null, utf8(seconds)), "epoch_millis takes the number as given");
  }

  @Test
  void shouldEscapeControlAndBidiCharactersWhenShowingAKey() {
    assertEquals("\"a\\u202Eb\\u000Ac\\uD800\"", EventParser.show("a\u202Eb\nc\uD800"));
    assertEquals("\"🌡 ok\"", EventParser.show("🌡 ok"));
  }
}
