package org.streamcast.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/** Validates JSON against a topic schema with a JSON Schema library (draft 2020-12, formats asserted). */
public final class SchemaCheck {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final SchemaRegistry REGISTRY = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);

  private final Schema schema;

  public SchemaCheck(ObjectNode schema) {
    this.schema = REGISTRY.getSchema(schema);
  }

  /** The violations of {@code json} (empty when it is valid), each with the location of the field at fault. */
  public List<String> errors(JsonNode json) {
    // formats (date-time) are only annotations in 2020-12 unless asserted: the check asserts them
    List<Error> errors = schema.validate(json, c -> c.executionConfig(b -> b.formatAssertionsEnabled(true)));
    return errors.stream().map(Error::toString).toList();
  }

  /** The violations of a record value read as JSON. */
  public List<String> errors(byte[] value) {
    try {
      return errors(JSON.readTree(value));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A record's headers as the dead-letter schema reads them: one object of header name to UTF-8 text. */
  public static ObjectNode headers(Headers headers) {
    ObjectNode n = JSON.createObjectNode();
    for (Header h : headers) {
      n.put(h.key(), h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8));
    }
    return n;
  }

  /** {@code fields} as a JSON object. */
  public static ObjectNode object(Map<String, ?> fields) {
    return JSON.valueToTree(fields);
  }
}
