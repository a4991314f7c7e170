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
import org.streamcast.domain.Step;

class TopologySerdesTest {

  static final Instant ORIGIN = Instant.parse("2000-06-05T10:00:00Z");

  static Forecast forecast() {
    return new Forecast("taylor", "electricity", ORIGIN, "gru", 3, List.of(
        new Forecast.Point(1, ORIGIN.plusSeconds(1800), 22262.5, List.of(
            new Forecast.Interval(0.8, 21900.25, 22600.0), new Forecast.Interval(0.95, 21500.0, 23000.125))),
        new Forecast.Point(2, ORIGIN.plusSeconds(3600), 0.1 + 0.2)));
  }

  @Test
  void shouldWriteTheDocumentedForecastJsonWhenAForecastHasIntervals() {
    assertEquals("{\"key\":\"taylor\",\"pipeline\":\"electricity\",\"origin\":\"2000-06-05T10:00:00Z\",\"model\":\"gru\","
        + "\"modelVersion\":3,\"forecasts\":["
        + "{\"h\":1,\"ts\":\"2000-06-05T10:30:00Z\",\"value\":22262.5,"
        + "\"lower\":{\"0.8\":21900.25,\"0.95\":21500.0},\"upper\":{\"0.8\":22600.0,\"0.95\":23000.125}},"
        + "{\"h\":2,\"ts\":\"2000-06-05T11:00:00Z\",\"value\":0.30000000000000004}]}",
        TopologySerdes.toJson(forecast()));
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
    Serde<Step> serde = TopologySerdes.stepJson();
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
    byte[] v2 = serde.serializer().serialize("t", w);
    assertEquals(2, v2[0]);
    assertEquals(w, serde.deserializer().deserialize("t", v2));
    byte[] lying = v2.clone();
    java.nio.ByteBuffer.wrap(lying).putInt(1, 1 << 30);
    assertEquals("open-windows entry claims 1073741824 windows in 60 bytes",
        serde.deserializer().deserialize("t", lying).corruption());
    byte[] newer = v2.clone();
    newer[0] = 3;
    assertEquals("open-windows entry was written by a newer streamcast in format version 3; this version reads "
        + "formats 1 to 2", serde.deserializer().deserialize("t", newer).corruption());
  }

  @Test
  void shouldNameTheRecordTypeWhenAForecastCannotBeRead() {
    SerializationException e = assertThrows(SerializationException.class,
        () -> TopologySerdes.forecastJson().deserializer().deserialize("t", "{\"key\":1}".getBytes(StandardCharsets.UTF_8)));
    assertEquals(true, e.getMessage().startsWith("not a forecast record: "), e.getMessage());
  }
}
