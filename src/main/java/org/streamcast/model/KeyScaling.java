package org.streamcast.model;

import java.util.List;
import java.util.Objects;

/**
 * The scalers of one key: its target (in target space: levels, differences or returns, see
 * {@link FeatureSpec.Target}) and each extra value field (levels).
 *
 * @param target scaler of the transformed target
 * @param extras scalers of the extra value fields, in the spec's order
 */
public record KeyScaling(Scaler target, List<Scaler> extras) {
  public KeyScaling {
    Objects.requireNonNull(target, "target");
    extras = List.copyOf(extras);
  }
}
