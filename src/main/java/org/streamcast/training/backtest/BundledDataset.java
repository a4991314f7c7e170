package org.streamcast.training.backtest;

import org.streamcast.dataset.Datasets;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.streamcast.config.SpecException;
import org.streamcast.domain.Observation;

/**
 * The real datasets shipped in {@code src/main/resources/datasets/} (see {@code docs/protocol.md} for their sources), with
 * the key selection the protocol scores: every key, except the precipitation keys of {@code vega_weather} (sMAPE and
 * MASE of a mostly-zero series say little).
 */
public enum BundledDataset {
  /** Half-hourly electricity demand, England and Wales, June–August 2000: one key, 4,032 steps. */
  TAYLOR("taylor", key -> true),
  /** Daily closing prices of CAC, DAX, FTSE and SMI, 1991–1998, on business days: 1,860 steps each. */
  EUSTOCKMARKETS("eustockmarkets", key -> true),
  /** Daily weather of New York and Seattle, 2012–2015: temp_max, temp_min, wind (and precipitation, not scored). */
  VEGA_WEATHER("vega_weather", key -> !key.endsWith("/precipitation"));

  private final String id;
  private final Predicate<String> anchorKeys;

  BundledDataset(String id, Predicate<String> anchorKeys) {
    this.id = id;
    this.anchorKeys = anchorKeys;
  }

  /** The name used by {@code --dataset} and the resource file name without {@code .csv}. */
  public String id() {
    return id;
  }

  /** The keys the protocol scores (docs/protocol.md). */
  public Predicate<String> anchorKeys() {
    return anchorKeys;
  }

  /** All observations of the dataset, every key. */
  public List<Observation> read() {
    return Datasets.read(id);
  }

  /** The observations the protocol scores, as a panel with the inferred cadence. */
  public SeriesPanel anchorPanel() {
    SeriesPanel all = SeriesPanel.of(read());
    return all.select(anchorKeys);
  }

  /** The dataset called {@code name} (any case). */
  public static BundledDataset byName(String name) {
    for (BundledDataset d : values()) {
      if (d.id.equalsIgnoreCase(name.trim()) || d.name().equalsIgnoreCase(name.trim())) {
        return d;
      }
    }
    throw SpecException.of("backtest", "dataset", "\"" + name + "\" is not a bundled dataset; try one of "
        + names());
  }

  /** The names, comma-separated. */
  public static String names() {
    return Arrays.stream(values()).map(BundledDataset::id).collect(Collectors.joining(", "));
  }

  @Override
  public String toString() {
    return id.toLowerCase(Locale.ROOT);
  }
}
