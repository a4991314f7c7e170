package org.streamcast.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.streamcast.domain.Measurement;
import org.streamcast.domain.Observation;

class EventProducerTest {

  @Test
  void shouldWriteTheDefaultEventShapeWhenSerialising() {
    assertEquals("{\"key\":\"s-1\",\"ts\":\"2000-06-05T00:00:00Z\",\"value\":22262.0}",
        EventProducer.json(new Observation("s-1", Instant.parse("2000-06-05T00:00:00Z"), 22262.0)));
  }

  @Test
  void shouldWriteEveryFieldByNameAndLeaveOutEmptyCellsWhenEventIsWide() {
    Measurement m = new Measurement("Seattle", Instant.parse("2012-01-01T00:00:00Z"), new double[] {12.8, Double.NaN,
        4.7});
    assertEquals("{\"key\":\"Seattle\",\"ts\":\"2012-01-01T00:00:00Z\",\"temp_max\":12.8,\"wind\":4.7}",
        EventProducer.json(List.of("temp_max", "temp_min", "wind"), m));
    assertThrows(IllegalArgumentException.class, () -> EventProducer.json(List.of("temp_max"), m));
  }

  @Test
  void shouldEscapeKeysWhenTheyHoldQuotes() {
    assertEquals("{\"key\":\"New York/\\\"temp\\\"\",\"ts\":\"2012-01-01T00:00:00.250Z\",\"value\":-1.5}",
        EventProducer.json(new Observation("New York/\"temp\"", Instant.parse("2012-01-01T00:00:00.250Z"), -1.5)));
  }

  @Test
  void shouldBeDurableByDefaultAndLetUserPropertiesWinWhenConfigured() {
    Map<String, Object> config = EventProducer.config(Map.of("bootstrap.servers", "b:9092", "linger.ms", "50",
        "key.serializer", "x.Y"), false);
    assertEquals("all", config.get("acks"));
    assertEquals(true, config.get("enable.idempotence"));
    assertEquals("lz4", config.get("compression.type"));
    assertEquals("50", config.get("linger.ms"));
    assertEquals("b:9092", config.get("bootstrap.servers"));
    assertEquals(StringSerializer.class.getName(), config.get("key.serializer"));
    assertEquals(0, EventProducer.config(Map.of(), true).get("linger.ms"), "paced events are not held back");
  }

  @Test
  void shouldReportRateWhenResultHasElapsedTime() {
    assertEquals(2000.0, new EventProducer.Result(4000, java.time.Duration.ofSeconds(2), false).rate());
    assertEquals(0.0, new EventProducer.Result(0, java.time.Duration.ZERO, false).rate());
  }
}
