package org.streamcast.app;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.streamcast.model.KeyState;

class KeyStateJsonTest {
  @Test
  void shouldSayWhyWhenTheStoredEntryCannotBeDecoded() {
    assertEquals("{\"key\":\"s-1\",\"corrupt\":\"key state entry is empty\"}",
        KeyStateJson.state("s-1", KeyState.corrupt("key state entry is empty")));
  }

  @Test
  void shouldWriteNullForQualityNotYetKnownWhenTheKeyIsNew() {
    assertEquals("{\"key\":\"s-1\",\"steps\":0,\"modelVersion\":-1,\"lastStep\":null,\"imputedRun\":0,\"history\":0,"
        + "\"quality\":null}", KeyStateJson.state("s-1", new KeyState(4)));
  }
}
