package org.streamcast.app;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.streamcast.config.PipelineSpec;
import org.streamcast.domain.Measurement;
import org.streamcast.topology.EventParser;

/**
 * A seeded generator of random and mutated events: valid events with bit flips, truncated, spliced with another,
 * given huge, tiny and odd numbers, odd Unicode keys (emoji, CJK, combining marks, bidi controls), oversized keys,
 * or replaced by random bytes or random JSON-ish tokens. The outcome of each is what the pipeline's own parser
 * decides (the parser's classes are proven case by case in its unit tests; here the point is that the real
 * pipeline accounts for every record): a rejected one must reach the dead-letter topic with that reason; a mutation
 * that is still a valid event is only ever sent when it cannot disturb the honest events (a key of its own, an event
 * time in the window that is open at stream time), so it is forecast input like any other and the honest keys still
 * forecast as a clean run. Other valid mutations are drawn again.
 */
final class MutatedEvents {
  private static final long DAY = Duration.ofDays(1).toMillis();
  private static final List<String> NUMBERS = List.of("1e300", "-1e300", "1.7e308", "-1.7976931348623157e308", "1e16",
      "-1000000000000001", "1e15", "-1e15", "1e-320", "4.9e-324", "-0.0", "0", "123456789012345678901234567890",
      "1e-5", "0x10", "1.", ".5", "+1", "01", "1e", "NaN", "-Infinity", "1e999", "9".repeat(1200), "\"7\"", "true");
  private static final List<String> ODD_KEYS = List.of("fz-🌡", "fz-温度", "fz-e\u0301", "fz-\u202Eevil", "fz-\u2067x",
      "fz-\u0000", "fz-a\nb", "fz-\u2028", "fz-\u0085", "fz-\uFFFD", "fz-\u200D", "fz-\\uD800", "fz-\\uDFFF\\uD800",
      "fz-\\u0007", "fz-Ω≈ç√", "fz-\uD83D\uDC69\u200D\uD83D\uDCBB", "");

  /** One record: key, value and the reason it must get, or null when it is accepted. */
  record Mutated(byte[] key, byte[] value, org.streamcast.domain.DeadLetterReason reason, String variant) {}

  private final Random random;
  private final EventParser oracle;
  private final Set<String> honestKeys;
  private final List<String> honestKeyList;

  MutatedEvents(long seed, PipelineSpec spec, Set<String> honestKeys) {
    this.random = new Random(seed);
    this.oracle = new EventParser(spec.input());
    this.honestKeys = honestKeys;
    this.honestKeyList = honestKeys.stream().sorted().toList();
  }

  /** The next record for a position where the stream time is {@code streamTime} (a valid event time). */
  Mutated next(long streamTime) {
    while (true) {
      String variant;
      byte[] value;
      String key = random.nextBoolean() ? honestKeyList.get(random.nextInt(honestKeyList.size()))
          : "fz-" + random.nextInt(50);
      switch (random.nextInt(9)) {
        case 0 -> {
          variant = "bit flips";
          value = template(key, streamTime);
          for (int n = 1 + random.nextInt(3); n > 0; n--) {
            int bit = random.nextInt(value.length * 8);
            value[bit / 8] ^= (byte) (1 << (bit % 8));
          }
        }
        case 1 -> {
          variant = "truncation";
          byte[] t = template(key, streamTime);
          value = Arrays.copyOf(t, random.nextInt(t.length));
        }
        case 2 -> {
          variant = "splice";
          byte[] a = template(key, streamTime);
          byte[] b = template(honestKeyList.get(random.nextInt(honestKeyList.size())), streamTime - random.nextInt(
              (int) (3 * DAY)));
          int i = random.nextInt(a.length);
          int j = random.nextInt(b.length);
          value = new byte[i + b.length - j];
          System.arraycopy(a, 0, value, 0, i);
          System.arraycopy(b, j, value, i, b.length - j);
        }
        case 3 -> {
          variant = "number";
          value = json("\"" + key + "\"", ts(streamTime), NUMBERS.get(random.nextInt(NUMBERS.size())));
        }
        case 4 -> {
          variant = "odd unicode key";
          value = json("\"" + ODD_KEYS.get(random.nextInt(ODD_KEYS.size())) + "\"", ts(streamTime), number());
        }
        case 5 -> {
          variant = "oversized key";
          value = json("\"fz-" + "x".repeat(1000 + random.nextInt(4000)) + "\"", ts(streamTime), number());
        }
        case 6 -> {
          variant = "random bytes";
          value = new byte[random.nextInt(200)];
          random.nextBytes(value);
        }
        case 7 -> {
          variant = "random tokens";
          StringBuilder b = new StringBuilder();
          String[] tokens = {"{", "}", "[", "]", ":", ",", "\"key\"", "\"ts\"", "\"value\"", "1", "-2.5e3", "null",
              "true", "\"" + key + "\"", ts(streamTime), " ", "\"\\u202E\""};
          for (int n = random.nextInt(20); n >= 0; n--) {
            b.append(tokens[random.nextInt(tokens.length)]);
          }
          value = b.toString().getBytes(StandardCharsets.UTF_8);
        }
        default -> {
          variant = "tiny or odd but valid number";
          value = json("\"fz-" + random.nextInt(50) + "\"", ts(streamTime),
              List.of("1e-320", "4.9e-324", "-0.0", "0", "1e-5", "999999999999999").get(random.nextInt(6)));
        }
      }
      byte[] recordKey = random.nextInt(10) == 0 ? null : key.getBytes(StandardCharsets.UTF_8);
      EventParser.Result r = oracle.parse(recordKey, value, 0);
      if (r instanceof EventParser.Failed f) {
        return new Mutated(recordKey, value, f.reason(), variant);
      }
      Measurement m = ((EventParser.Parsed) r).measurement();
      long t = m.time().toEpochMilli();
      if (!honestKeys.contains(m.key()) && t <= streamTime && t >= Math.floorDiv(streamTime, DAY) * DAY) {
        return new Mutated(recordKey, value, null, variant);
      }
    }
  }

  /** A valid event of {@code key} at stream time, in one of the forms an honest producer sends. */
  private byte[] template(String key, long streamTime) {
    return json("\"" + key + "\"", ts(streamTime), number());
  }

  private String ts(long streamTime) {
    return random.nextBoolean() ? "\"" + Instant.ofEpochMilli(streamTime) + "\"" : Long.toString(streamTime);
  }

  private String number() {
    return Double.toString(Math.round(random.nextGaussian() * 1e4) / 100.0);
  }

  private static byte[] json(String key, String ts, String value) {
    return ("{\"key\":" + key + ",\"ts\":" + ts + ",\"value\":" + value + "}").getBytes(StandardCharsets.UTF_8);
  }
}
