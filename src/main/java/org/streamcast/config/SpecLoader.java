package org.streamcast.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.streamcast.domain.UserFiles;
import org.yaml.snakeyaml.error.MarkedYAMLException;

/**
 * Reads pipeline specs from YAML into validated, immutable {@link PipelineSpec}s. Every problem is a
 * {@link SpecException} with one line naming the file, the field path and the bad value, e.g.
 * {@code topologies/x.yaml: window.step: "5 minuts" is not a duration (try 30s, 5m, 1h)}; YAML syntax errors name the
 * line and column. Unknown fields are errors; every field a user leaves out gets its default ({@link SpecDefaults}).
 * A missing {@code name} is taken from the file name.
 */
public final class SpecLoader {
  private static final YAMLMapper YAML = YAMLMapper.builder()
      .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
      .build();

  private SpecLoader() {}

  /** The largest spec file read (the shipped ones are about 5 KB). */
  static final int MAX_SPEC_BYTES = 1 << 20;

  /** Reads and validates one spec file; the path as given is the source named in errors. */
  public static PipelineSpec load(Path file) {
    String source = file.toString();
    String text;
    try {
      text = StandardCharsets.UTF_8.newDecoder()
          .decode(ByteBuffer.wrap(UserFiles.read(file, MAX_SPEC_BYTES, "a pipeline spec"))).toString();
    } catch (UserFiles.Refused e) {
      throw new SpecException(e.getMessage());
    } catch (NoSuchFileException e) {
      throw new SpecException(source + ": no such file");
    } catch (AccessDeniedException e) {
      throw new SpecException(source + ": permission denied");
    } catch (CharacterCodingException e) {
      throw new SpecException(source + ": is not UTF-8 text");
    } catch (IOException e) {
      throw new SpecException(source + ": cannot be read (" + e.getMessage() + ")");
    }
    return parse(source, text);
  }

  /**
   * Reads several spec files, as {@code run --topology a.yaml b.yaml} does; pipeline names and topics must not repeat
   * across them.
   */
  public static List<PipelineSpec> loadAll(List<Path> files) {
    List<PipelineSpec> specs = new ArrayList<>();
    Map<String, String> names = new HashMap<>();
    Map<String, String> topics = new HashMap<>();
    for (Path file : files) {
      PipelineSpec spec = load(file);
      String before = names.putIfAbsent(spec.name(), file.toString());
      if (before != null) {
        throw SpecException.of(file.toString(), "name", Durations.quote(spec.name())
            + " is also the name of the pipeline in " + before);
      }
      List<String> own = new ArrayList<>(List.of(spec.input().topic(), spec.output().forecasts(),
          spec.output().series(), spec.output().deadLetters()));
      if (spec.output().anomalies() != null) {
        own.add(spec.output().anomalies());
      }
      for (int i = 1; i < own.size(); i++) {
        String other = topics.putIfAbsent(own.get(i), file.toString());
        if (other != null) {
          throw SpecException.of(file.toString(), "output", Durations.quote(own.get(i))
              + " is also an output topic of the pipeline in " + other);
        }
      }
      specs.add(spec);
    }
    return List.copyOf(specs);
  }

  /**
   * Parses and validates a spec from YAML text.
   *
   * @param source the file name to use in messages (its stem is the default pipeline name)
   * @param yaml   the YAML text
   */
  public static PipelineSpec parse(String source, String yaml) {
    JsonNode tree = readTree(source, yaml);
    if (!tree.isObject()) {
      throw new SpecException(source + ": expected a mapping of fields (" + String.join(", ", SpecBuilder.ROOT)
          + ") at the top, found " + kind(tree));
    }
    return SpecBuilder.build(SpecNode.root(source, (ObjectNode) tree, SpecBuilder.ROOT));
  }

  private static JsonNode readTree(String source, String yaml) {
    List<JsonNode> documents = new ArrayList<>();
    try (JsonParser parser = YAML.createParser(yaml)) {
      // Jackson reads an alias as the text of its name (timeField: *k gives "k"): a spec would take a value its
      // author never wrote, so aliases are refused rather than half-read
      while (parser.nextToken() != null) {
        if (parser instanceof YAMLParser y && y.isCurrentAlias()) {
          JsonLocation at = parser.currentTokenLocation();
          throw new SpecException(source + ": line " + at.getLineNr() + ", column " + at.getColumnNr()
              + ": invalid YAML: aliases (" + SpecNode.show(TextNode.valueOf("*" + parser.getText()))
              + ") are not supported (write the value out)");
        }
      }
    } catch (JsonProcessingException e) {
      throw syntaxError(source, e);
    } catch (IOException e) {
      throw new SpecException(source + ": cannot be read (" + e.getMessage() + ")");
    }
    try (JsonParser parser = YAML.createParser(yaml)) {
      while (parser.nextToken() != null) {
        documents.add(YAML.readTree(parser));
      }
    } catch (JsonProcessingException e) {
      throw syntaxError(source, e);
    } catch (IOException e) {
      throw new SpecException(source + ": cannot be read (" + e.getMessage() + ")");
    } catch (RuntimeException e) {
      if (e.getCause() instanceof JsonProcessingException j) {
        throw syntaxError(source, j);
      }
      throw e;
    }
    if (documents.isEmpty() || documents.get(0).isMissingNode() || documents.get(0).isNull()) {
      throw new SpecException(source + ": is empty (expected a pipeline spec; see topologies/electricity.yaml)");
    }
    if (documents.size() > 1) {
      throw new SpecException(source + ": holds " + documents.size()
          + " YAML documents (write one pipeline per file)");
    }
    return documents.get(0);
  }

  private static SpecException syntaxError(String source, JsonProcessingException e) {
    if (e.getCause() instanceof MarkedYAMLException m && m.getProblemMark() != null) {
      String problem = m.getProblem() == null ? "syntax error" : m.getProblem();
      return new SpecException(source + ": line " + (m.getProblemMark().getLine() + 1) + ", column "
          + (m.getProblemMark().getColumn() + 1) + ": invalid YAML: " + oneLine(problem));
    }
    JsonLocation at = e.getLocation();
    String where = at == null ? "" : "line " + at.getLineNr() + ", column " + at.getColumnNr() + ": ";
    String message = e.getOriginalMessage();
    if (message != null && message.startsWith("Duplicate field ")) {
      message = "field " + message.substring("Duplicate field ".length()).replace('\'', '"') + " appears twice";
    }
    return new SpecException(source + ": " + where + "invalid YAML: " + oneLine(String.valueOf(message)));
  }

  private static String oneLine(String text) {
    return text.strip().replaceAll("\\s*\\R\\s*", " ");
  }

  private static String kind(JsonNode node) {
    if (node.isArray()) {
      return "a list";
    }
    if (node.isTextual()) {
      return "the text " + SpecNode.show(node);
    }
    return "the value " + SpecNode.show(node);
  }
}
