package org.streamcast.cli;

import java.time.Duration;
import org.streamcast.config.Durations;
import picocli.CommandLine;

/** Reads duration options the way specs do: {@code 30s}, {@code 5m}, {@code 1h30m}, {@code PT30M}. */
public final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
  @Override
  public Duration convert(String value) {
    try {
      return Durations.parse(value);
    } catch (IllegalArgumentException e) {
      throw new CommandLine.TypeConversionException(e.getMessage());
    }
  }
}
