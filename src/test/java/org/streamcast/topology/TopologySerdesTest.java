package org.streamcast.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

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
    Serde<Step> serde = TopologySerdes.stepJson();
    Step s = new Step("taylor", ORIGIN, 1.0 / 3, 2);
    byte[] bytes = serde.serializer().serialize("t", s);
    assertEquals("{\"key\":\"taylor\",\"ts\":\"2000-06-05T10:00:00Z\",\"value\":0.3333333333333333,\"count\":2}",
        new String(bytes, StandardCharsets.UTF_8));
    assertEquals(s, serde.deserializer().deserialize("t", bytes));
  }

  @Test
  void shouldNameTheRecordTypeWhenAForecastCannotBeRead() {
    SerializationException e = assertThrows(SerializationException.class,
        () -> TopologySerdes.forecastJson().deserializer().deserialize("t", "{\"key\":1}".getBytes(StandardCharsets.UTF_8)));
    assertEquals(true, e.getMessage().startsWith("not a forecast record: "), e.getMessage());
  }
}
