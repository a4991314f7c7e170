package org.streamcast.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serde;
import org.junit.jupiter.api.Test;
import org.streamcast.domain.Forecast;
import org.streamcast.domain.PipelineObserver;
import org.streamcast.domain.Step;
import org.streamcast.kafka.StepSerde;
import org.streamcast.resample.WindowAggregate;

class TopologySerdesTest {

  static final Instant ORIGIN = Instant.parse("2000-06-05T10:00:00Z");

  static Forecast forecast() {
    return new Forecast("taylor", "electricity", ORIGIN, "gru", 3, List.of(
        new Forecast.Point(1, ORIGIN.plusSeconds(1800), 22262.5, List.of(
            new Forecast.Interval(0.8, 21900.25, 22600.0), new Forecast.Interval(0.95, 21500.0, 23000.125)),
            "learned"),
        new Forecast.Point(2, ORIGIN.plusSeconds(3600), 0.1 + 0.2, List.of(), "snaive(48)")));
  }

  @Test
  void shouldWriteTheDocumentedForecastJsonWhenAForecastHasIntervals() {
    assertEquals("{\"key\":\"taylor\",\"pipeline\":\"electricity\",\"origin\":\"2000-06-05T10:00:00Z\",\"model\":\"gru\","
        + "\"modelVersion\":3,\"forecasts\":["
        + "{\"h\":1,\"ts\":\"2000-06-05T10:30:00Z\",\"value\":22262.5,\"source\":\"learned\","
        + "\"lower\":{\"0.8\":21900.25,\"0.95\":21500.0},\"upper\":{\"0.8\":22600.0,\"0.95\":23000.125}},"
        + "{\"h\":2,\"ts\":\"2000-06-05T11:00:00Z\",\"value\":0.30000000000000004,\"source\":\"snaive(48)\"}]}",
        TopologySerdes.toJson(forecast()));
  }

  @Test
  void shouldSayWhichSourceServedWhichHorizonsWhenSummarised() {
    assertEquals("learned 1, snaive(48) 2", forecast().servedBy());
    Forecast old = TopologySerdes.forecastJson().deserializer().deserialize("t", ("{\"key\":\"k\",\"pipeline\":\"p\","
        + "\"origin\":\"2000-06-05T10:00:00Z\",\"model\":\"gru\",\"modelVersion\":3,\"forecasts\":["
        + "{\"h\":1,\"ts\":\"2000-06-05T10:30:00Z\",\"value\":1.0}]}").getBytes(StandardCharsets.UTF_8));
    assertEquals(null, old.points().get(0).source(), "a record written before sources were labelled reads");
    List<Forecast.Point> p = new java.util.ArrayList<>();
    for (int h = 1; h <= 12; h++) {
      p.add(new Forecast.Point(h, ORIGIN, h, List.of(), h <= 6 ? "learned" : "naive"));
    }
    Forecast mixed = new Forecast("k", "p", ORIGIN, "gru", 1, p);
    assertEquals("learned 1-6, naive 7-12", mixed.servedBy());
    assertEquals("learned", new Forecast("k", "p", ORIGIN, "gru", 1, p.subList(0, 6)).servedBy());
    assertEquals("gru", Forecast.modelName("gru", List.of("naive", "learned")));
    assertEquals("baseline", Forecast.modelName("gru", List.of("naive", "snaive(4)")),
        "a forecast no learned output served does not name the network");
  }

  @Test
  void shouldReadBackTheSameForecastWhenWrittenAndRead() {
    Serde<Forecast> serde = TopologySerdes.forecastJson();
    Forecast f = forecast();
    byte[] bytes = serde.serializer().serialize("t", f);
    assertEquals(TopologySerdes.toJson(f), new String(bytes, StandardCharsets.UTF_8));
    assertEquals(f, serde.deserializer().deserialize("t", bytes));
  }

  @Test
  void shouldReadBackTheSameStepWhenWrittenAndRead() {
    Serde<Step> serde = StepSerde.json();
    Step s = new Step("taylor", ORIGIN, 1.0 / 3, 2);
    byte[] bytes = serde.serializer().serialize("t", s);
    assertEquals("{\"key\":\"taylor\",\"ts\":\"2000-06-05T10:00:00Z\",\"value\":0.3333333333333333,\"count\":2}",
        new String(bytes, StandardCharsets.UTF_8));
    assertEquals(s, serde.deserializer().deserialize("t", bytes));
  }

  @Test
  void shouldReadBackAcceptedEventAndRefuseEveryCorruptLengthWhenRepartitioned() {
    Serde<Routed> serde = TopologySerdes.acceptedBinary();
    Routed.Accepted a = new Routed.Accepted(new org.streamcast.domain.Measurement("s1", ORIGIN, new double[] {1.5, 2}),
        new SourceRecord("k".getBytes(StandardCharsets.UTF_8), "{}".getBytes(StandardCharsets.UTF_8), "t", 3, 9L));
    byte[] bytes = serde.serializer().serialize("t", a);
    Routed.Accepted back = (Routed.Accepted) serde.deserializer().deserialize("t", bytes);
    assertEquals(a.measurement(), back.measurement());
    assertEquals("{}", new String(back.source().value(), StandardCharsets.UTF_8));
    assertEquals(9L, back.source().offset());
    // every truncation and every corrupted length is a SerializationException, never an allocation from it
    for (int n = 0; n < bytes.length; n++) {
      byte[] cut = java.util.Arrays.copyOf(bytes, n);
      assertThrows(SerializationException.class, () -> serde.deserializer().deserialize("t", cut), "cut at " + n);
    }
    // the lengths of the series key, the values, the source topic, the raw key and the raw value
    for (int at : new int[] {1, 15, 35, 52, 57}) {
      byte[] bad = bytes.clone();
      java.nio.ByteBuffer.wrap(bad).putInt(at, Integer.MAX_VALUE);
      SerializationException e = assertThrows(SerializationException.class,
          () -> serde.deserializer().deserialize("t", bad), "length at " + at);
      assertTrue(e.getMessage().contains("2147483647"), e.getMessage());
    }
  }

  @Test
  void shouldReadVersionOneWindowsAndRefuseCorruptOnesWhenRestored() {
    Serde<OpenWindows> serde = OpenWindows.BinarySerde.serde();
    java.nio.ByteBuffer v1 = java.nio.ByteBuffer.allocate(1 + 4 + 52);
    v1.put((byte) 1).putInt(1).putLong(3600_000L).putInt(2).putDouble(10).putDouble(4).putDouble(6).putDouble(6)
        .putLong(3_700_000L);
    OpenWindows w = serde.deserializer().deserialize("t", v1.array());
    assertEquals(5.0, w.windows().get(0).mean());
    assertEquals(5.0, w.valueAt(3600_000L, org.streamcast.config.PipelineSpec.Aggregation.MEAN));
    byte[] v4 = serde.serializer().serialize("t", w);
    assertEquals(4, v4[0]);
    assertEquals(w, serde.deserializer().deserialize("t", v4));
    byte[] lying = v4.clone();
    java.nio.ByteBuffer.wrap(lying).putInt(1, 1 << 30);
    assertEquals("open-windows entry claims 1073741824 windows in 61 bytes",
        serde.deserializer().deserialize("t", lying).corruption());
    byte[] newer = v4.clone();
    newer[0] = 5;
    assertEquals("open-windows entry was written by a newer streamcast in format version 5; this version reads "
        + "formats 1 to 4", serde.deserializer().deserialize("t", newer).corruption());
  }

  @Test
  void shouldNameTheRecordTypeWhenAForecastCannotBeRead() {
    SerializationException e = assertThrows(SerializationException.class,
        () -> TopologySerdes.forecastJson().deserializer().deserialize("t", "{\"key\":1}".getBytes(StandardCharsets.UTF_8)));
    assertEquals(true, e.getMessage().startsWith("not a forecast record: "), e.getMessage());
  }

  @Test
  void shouldWriteNullNeverNaNStringsWhenAForecastOrStepIsNotFinite() {
    Forecast f = new Forecast("k", "p", ORIGIN, "gru", 1, List.of(
        new Forecast.Point(1, ORIGIN, Double.NaN, List.of(new Forecast.Interval(0.8, 1, 2),
            new Forecast.Interval(0.95, Double.NEGATIVE_INFINITY, 3))),
        new Forecast.Point(2, ORIGIN, Double.POSITIVE_INFINITY, List.of(
            new Forecast.Interval(0.8, Double.NaN, Double.NaN)))));
    String json = TopologySerdes.toJson(f);
    assertEquals("{\"key\":\"k\",\"pipeline\":\"p\",\"origin\":\"2000-06-05T10:00:00Z\",\"model\":\"gru\","
        + "\"modelVersion\":1,\"forecasts\":[{\"h\":1,\"ts\":\"2000-06-05T10:00:00Z\",\"value\":null,"
        + "\"lower\":{\"0.8\":1.0},\"upper\":{\"0.8\":2.0}},"
        + "{\"h\":2,\"ts\":\"2000-06-05T10:00:00Z\",\"value\":null}]}", json);
    String step = new String(StepSerde.json().serializer().serialize("t",
        new Step("k", ORIGIN, Double.POSITIVE_INFINITY, 2)), StandardCharsets.UTF_8);
    assertEquals("{\"key\":\"k\",\"ts\":\"2000-06-05T10:00:00Z\",\"value\":null,\"count\":2}", step);
  }

  private static byte[] accepted() {
    return TopologySerdes.acceptedBinary().serializer().serialize("t", new Routed.Accepted(
        new org.streamcast.domain.Measurement("taylor", ORIGIN, new double[] {1.5, 2.5}),
        new SourceRecord("taylor".getBytes(StandardCharsets.UTF_8), "{\"value\":1.5}".getBytes(StandardCharsets.UTF_8),
            "in", 3, 42)));
  }

  @Test
  void shouldReadBackAnAcceptedEventWhenRepartitioned() {
    Routed.Accepted a = (Routed.Accepted) TopologySerdes.acceptedBinary().deserializer().deserialize("t", accepted());
    assertEquals("taylor", a.measurement().key());
    assertEquals(2.5, a.measurement().values()[1]);
    assertEquals("{\"value\":1.5}", new String(a.source().value(), StandardCharsets.UTF_8));
    assertEquals(42, a.source().offset());
  }

  @Test
  void shouldRejectAHugeLengthBeforeAllocatingWhenARepartitionRecordIsCorrupt() {
    // version 1, then a key length of 2^31 - 1 in a 16-byte record
    byte[] poison = java.nio.ByteBuffer.allocate(16).put((byte) 1).putInt(Integer.MAX_VALUE).array();
    SerializationException e = assertThrows(SerializationException.class,
        () -> TopologySerdes.acceptedBinary().deserializer().deserialize("t-repartition", poison));
    assertEquals("accepted-event record on t-repartition (16 bytes) is corrupt: length 2147483647 with 11 bytes left",
        e.getMessage());
  }

  /** Every truncation, every bit flip and random bytes: an accepted event or a SerializationException, nothing else. */
  @Test
  void shouldGiveAnEventOrASerializationExceptionWhenRepartitionBytesAreFuzzed() {
    byte[] good = accepted();
    java.util.Random random = new java.util.Random(7);
    int failed = 0;
    for (int n = 0; n < good.length; n++) {
      failed += decodeFails(java.util.Arrays.copyOf(good, n));
    }
    assertEquals(good.length, failed, "every truncation fails");
    for (int bit = 0; bit < good.length * 8; bit++) {
      byte[] flipped = good.clone();
      flipped[bit / 8] ^= (byte) (1 << (bit % 8));
      decodeFails(flipped);
    }
    for (int i = 0; i < 5_000; i++) {
      byte[] junk = new byte[random.nextInt(80)];
      random.nextBytes(junk);
      if (junk.length > 0) {
        junk[0] = 1;
      }
      decodeFails(junk);
    }
  }

  private static int decodeFails(byte[] bytes) {
    try {
      TopologySerdes.acceptedBinary().deserializer().deserialize("t", bytes);
      return 0;
    } catch (SerializationException e) {
      return 1;
    }
  }

  @Test
  void shouldGiveWindowsOrAMarkerNeverAnExceptionWhenWindowBytesAreFuzzed() {
    org.apache.kafka.common.serialization.Serde<OpenWindows> serde = OpenWindows.BinarySerde.serde();
    OpenWindows w = new OpenWindows(List.of(new WindowAggregate(0, 2, 3, 1.5, 1, 2, 2, 5),
        new WindowAggregate(3_600_000, 1, 7, 7, 7, 7, 7, 3_600_001)));
    byte[] good = serde.serializer().serialize("t", w);
    assertEquals(w, serde.deserializer().deserialize("t", good));
    for (int n = 0; n < good.length; n++) {
      OpenWindows back = serde.deserializer().deserialize("t", java.util.Arrays.copyOf(good, n));
      assertEquals(List.of(), back.windows());
      assertEquals(true, back.corruption() != null, "truncated to " + n);
    }
    byte[] huge = java.nio.ByteBuffer.allocate(9).put((byte) 1).putInt(Integer.MAX_VALUE).array();
    assertEquals("open-windows entry claims 2147483647 windows in 4 bytes",
        serde.deserializer().deserialize("t", huge).corruption());
    byte[] newer = good.clone();
    newer[0] = 5;
    assertEquals("open-windows entry was written by a newer streamcast in format version 5; this version reads "
        + "formats 1 to 4", serde.deserializer().deserialize("t", newer).corruption());
    java.util.Random random = new java.util.Random(11);
    for (int i = 0; i < 5_000; i++) {
      byte[] junk = new byte[random.nextInt(120)];
      random.nextBytes(junk);
      OpenWindows back = serde.deserializer().deserialize("t", junk);
      int n = back.windows().size();
      assertEquals(true, back.corruption() != null || n * 60 + 5 == junk.length || n * 52 + 5 == junk.length
          || java.util.Arrays.equals(junk, serde.serializer().serialize("t", back)));
    }
  }

  @Test
  void shouldReadAGarbageStreamTimeAsAbsentAndCountItWhenTheClockEntryIsNotALong() {
    int[] resets = {0};
    PipelineObserver counting = new PipelineObserver() {
      @Override
      public void stateEntryReset() {
        resets[0]++;
      }
    };
    org.apache.kafka.common.serialization.Serde<Long> serde = PipelineTopology.clockSerde(counting);
    assertEquals(42L, serde.deserializer().deserialize("t", serde.serializer().serialize("t", 42L)));
    assertEquals(null, serde.deserializer().deserialize("t", new byte[] {1, 2, 3}));
    assertEquals(1, resets[0]);
  }
}
