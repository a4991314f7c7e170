package org.streamcast.cli;

import java.util.Locale;
import org.streamcast.config.Durations;
import picocli.CommandLine;

/**
 * Reads {@code --season}: a number of steps, or a frequency letter with the M4 competition's seasonal period (the
 * MASE convention the scoring protocol follows): Y or A 1, Q 4, M 12, W 1, D 1, B 1, H 24.
 */
final class SeasonConverter implements CommandLine.ITypeConverter<Integer> {
  @Override
  public Integer convert(String value) {
    String v = value.strip().toUpperCase(Locale.ROOT);
    Integer letter = switch (v) {
      case "Y", "A", "W", "D", "B" -> 1;
      case "Q" -> 4;
      case "M" -> 12;
      case "H" -> 24;
      default -> null;
    };
    if (letter != null) {
      return letter;
    }
    try {
      return Integer.valueOf(v);
    } catch (NumberFormatException e) {
      throw new CommandLine.TypeConversionException(Durations.quote(value) + " is not a number of steps nor a "
          + "frequency (Y, Q, M, W, D, B, H)");
    }
  }
}
