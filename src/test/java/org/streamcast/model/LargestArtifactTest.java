package org.streamcast.model;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.streamcast.config.PipelineSpec;
import org.streamcast.registry.ModelTopic;

/** The model topic's record limit holds the largest network the spec limits allow, with the scalers of many keys. */
class LargestArtifactTest {

  @Test
  void shouldFitModelTopicWhenNetworkIsLargestSpecAllows() {
    int lags = PipelineSpec.Model.MAX_SEASONAL_LAGS;
    int horizon = PipelineSpec.Model.MAX_HORIZON;
    List<String> extras = new java.util.ArrayList<>();
    for (int i = 1; i < PipelineSpec.Input.MAX_VALUE_FIELDS; i++) {
      extras.add("field" + i);
    }
    List<Integer> lagList = new java.util.ArrayList<>();
    for (int i = 1; i <= lags; i++) {
      lagList.add(i * 7);
    }
    FeatureSpec features = new FeatureSpec(FeatureSpec.Target.LEVEL, extras, List.of(FeatureSpec.Calendar.values()),
        lagList, true, horizon);
    int[] hidden = new int[PipelineSpec.Model.MAX_LAYERS];
    java.util.Arrays.fill(hidden, PipelineSpec.Model.MAX_HIDDEN_SIZE);
    RecurrentNetwork net = TestNetworks.random(CellType.LSTM, features.recurrentInputs(), features.headInputs(), hidden,
        horizon, 1);
    List<Scaler> extraScalers = extras.stream().map(e -> new Scaler(1, 2)).toList();
    KeyScaling scaling = new KeyScaling(new Scaler(10, 3), extraScalers);
    Provenance p = new Provenance("largest", Instant.EPOCH, Instant.EPOCH, 0, 0, Map.of(), 1, Map.of(), Map.of(),
        Instant.EPOCH);
    int bare = new ModelArtifact(net, features, Map.of(), scaling, p).toBytes().length;
    Map<String, KeyScaling> keys = new HashMap<>();
    for (int i = 0; i < 1000; i++) {
      keys.put("sensor-" + (100_000 + i), new KeyScaling(new Scaler(10 + i, 3), List.of()));
    }
    int perKey = (new ModelArtifact(net, features, keys, scaling, p).toBytes().length - bare) / 1000;
    assertTrue(bare < 42_000_000, "largest network " + bare + " bytes");
    assertTrue(bare + 200_000L * perKey < ModelTopic.MAX_MESSAGE_BYTES,
        "network " + bare + " bytes + 200,000 keys of " + perKey + " bytes exceed " + ModelTopic.MAX_MESSAGE_BYTES);
  }
}
