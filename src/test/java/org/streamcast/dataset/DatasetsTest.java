package org.streamcast.dataset;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.streamcast.config.SpecException;
import org.streamcast.domain.Observation;

class DatasetsTest {

  private static Map<String, Long> countByKey(List<Observation> rows) {
    return rows.stream().collect(Collectors.groupingBy(Observation::key, TreeMap::new, Collectors.counting()));
  }

  @Test
  void shouldReadTaylorWhenBundled() {
    List<Observation> rows = Datasets.read("taylor");
    assertEquals(4032, rows.size());
    assertEquals(new Observation("taylor", Instant.parse("2000-06-05T00:00:00Z"), 22262.0), rows.get(0));
    assertEquals(new Observation("taylor", Instant.parse("2000-08-27T23:30:00Z"), 23132.0), rows.get(4031));
  }

  @Test
  void shouldReadFourIndicesWhenEuStockMarketsBundled() {
    List<Observation> rows = Datasets.read("eustockmarkets");
    assertEquals(Map.of("CAC", 1860L, "DAX", 1860L, "FTSE", 1860L, "SMI", 1860L), countByKey(rows));
    assertEquals(new Observation("CAC", Instant.parse("1991-07-01T00:00:00Z"), 1772.8), rows.get(0));
  }

  @Test
  void shouldReadEightWeatherSeriesWhenVegaWeatherBundled() {
    Map<String, Long> counts = countByKey(Datasets.read("vega_weather"));
    assertEquals(8, counts.size());
    counts.values().forEach(n -> assertEquals(1461L, n));
    assertEquals(List.of("New York/precipitation", "New York/temp_max", "New York/temp_min", "New York/wind",
        "Seattle/precipitation", "Seattle/temp_max", "Seattle/temp_min", "Seattle/wind"), List.copyOf(counts.keySet()));
  }

  @Test
  void shouldListNamesWhenDatasetUnknown() {
    SpecException e = assertThrows(SpecException.class, () -> Datasets.open("tayler"));
    assertEquals("dataset \"tayler\" is not bundled (choose one of taylor, eustockmarkets, vega_weather)",
        e.getMessage());
  }
}
