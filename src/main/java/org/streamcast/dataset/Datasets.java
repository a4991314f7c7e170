package org.streamcast.dataset;

import java.io.InputStream;
import java.util.List;
import org.streamcast.config.SpecException;
import org.streamcast.domain.Observation;

/**
 * The real series bundled in the jar ({@code /datasets/<name>.csv}, {@code key,timestamp,value}):
 * <ul>
 *   <li>{@code taylor}: half-hourly electricity demand of England and Wales, June to August 2000, one key, 4,032
 *       points;
 *   <li>{@code eustockmarkets}: daily closes of the CAC, DAX, FTSE and SMI indices, 1991 to 1998, 1,860 points each;
 *   <li>{@code vega_weather}: daily weather of New York and Seattle, 2012 to 2015, eight keys of 1,461 points.
 * </ul>
 */
public final class Datasets {
  /** The bundled datasets, by name. */
  public static final List<String> NAMES = List.of("taylor", "eustockmarkets", "vega_weather");

  private Datasets() {}

  /** The classpath resource of a dataset, e.g. {@code /datasets/taylor.csv}. */
  public static String resource(String name) {
    return "/datasets/" + name + ".csv";
  }

  /**
   * Opens a bundled dataset for reading.
   *
   * @throws SpecException when no dataset has that name (the message lists the names)
   */
  public static SeriesCsvReader open(String name) {
    InputStream in = NAMES.contains(name) ? Datasets.class.getResourceAsStream(resource(name)) : null;
    if (in == null) {
      throw new SpecException("dataset \"" + name + "\" is not bundled (choose one of " + String.join(", ", NAMES)
          + ")");
    }
    return SeriesCsvReader.open(name + ".csv", in);
  }

  /** Reads a whole bundled dataset, in file order. */
  public static List<Observation> read(String name) {
    try (SeriesCsvReader reader = open(name)) {
      return reader.toList();
    }
  }
}
