package dev.basalt.load.streamload;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.basalt.common.error.BasaltException;
import dev.basalt.common.error.ErrorCode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads JSON rows with Jackson's streaming parser as the body arrives. The body is a sequence of
 * top-level values separated by whitespace (so one object per line, {@code read_json_by_line},
 * needs nothing special): each object is a row; an array is a list of rows when {@code
 * strip_outer_array} is true and an error otherwise, as in Doris.
 *
 * <p>Fields are matched by key (exact, then case-insensitive) against the source field names, or
 * found by {@code jsonpaths}; {@code json_root} first selects the part of each top-level value that
 * holds the rows. Path modes read each top-level value as a tree; plain matching streams object by
 * object. Scalars are given as their text ({@code true}/{@code false} for booleans), nested objects
 * and arrays as their JSON text, {@code null} as NULL, a missing key as absent. Malformed JSON
 * fails the load (LOAD_MALFORMED_DATA). Not thread safe.
 */
final class JsonReader implements RecordReader {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final JsonParser parser;
  private final boolean stripOuterArray;
  private final List<String> fieldNames;
  private final Map<String, Integer> exactIndex = new HashMap<>();
  private final Map<String, Integer> foldedIndex = new HashMap<>();
  private final List<JsonPath> paths;
  private final JsonPath root;
  private final Deque<JsonNode> pending = new ArrayDeque<>();
  private boolean inOuterArray;

  JsonReader(InputStream input, StreamLoadOptions options, List<String> fieldNames, int maxBytes)
      throws IOException {
    JsonFactory factory =
        JsonFactory.builder()
            .streamReadConstraints(
                StreamReadConstraints.builder().maxStringLength(maxBytes).build())
            .build();
    factory.setCodec(MAPPER);
    this.parser = factory.createParser(input);
    this.stripOuterArray = options.stripOuterArray();
    this.fieldNames = fieldNames;
    for (int i = 0; i < fieldNames.size(); i++) {
      exactIndex.putIfAbsent(fieldNames.get(i), i);
      foldedIndex.putIfAbsent(fieldNames.get(i).toLowerCase(Locale.ROOT), i);
    }
    this.paths =
        options.jsonPaths() == null
            ? null
            : options.jsonPaths().stream().map(path -> JsonPath.parse("jsonpaths", path)).toList();
    this.root = options.jsonRoot() == null ? null : JsonPath.parse("json_root", options.jsonRoot());
  }

  @Override
  public boolean next(SourceRecord record) throws IOException {
    try {
      return paths != null || root != null ? nextFromTree(record) : nextStreaming(record);
    } catch (JsonProcessingException malformed) {
      throw new BasaltException(
          malformed, ErrorCode.LOAD_MALFORMED_DATA, "JSON", line(), malformed.getOriginalMessage());
    }
  }

  private long line() {
    return parser.currentLocation().getLineNr();
  }

  private boolean nextStreaming(SourceRecord record) throws IOException {
    while (true) {
      JsonToken token = parser.nextToken();
      if (inOuterArray) {
        if (token == JsonToken.END_ARRAY) {
          inOuterArray = false;
          continue;
        }
        if (token == JsonToken.START_OBJECT) {
          readObject(record);
          return true;
        }
        throw malformed("every element of the outer array must be an object, found " + token);
      }
      if (token == null) {
        return false;
      }
      if (token == JsonToken.START_OBJECT) {
        readObject(record);
        return true;
      }
      if (token == JsonToken.START_ARRAY) {
        if (!stripOuterArray) {
          throw malformed("JSON data is array-object, `strip_outer_array` must be TRUE");
        }
        inOuterArray = true;
        continue;
      }
      throw malformed("expected a JSON object, found " + token);
    }
  }

  private BasaltException malformed(String message) {
    return new BasaltException(ErrorCode.LOAD_MALFORMED_DATA, "JSON", line(), message);
  }

  private void readObject(SourceRecord record) throws IOException {
    record.reset(fieldNames.size());
    record.rawData = null;
    record.line = line();
    for (JsonToken token = parser.nextToken();
        token != JsonToken.END_OBJECT;
        token = parser.nextToken()) {
      String name = parser.currentName();
      JsonToken value = parser.nextToken();
      Integer field = exactIndex.get(name);
      if (field == null) {
        field = foldedIndex.get(name.toLowerCase(Locale.ROOT));
      }
      if (field == null) {
        parser.skipChildren();
        continue;
      }
      switch (value) {
        case VALUE_NULL -> record.setNull(field);
        case START_OBJECT, START_ARRAY ->
            setText(record, field, parser.readValueAsTree().toString());
        default -> setText(record, field, parser.getText());
      }
    }
  }

  private static void setText(SourceRecord record, int field, String text) {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    record.set(field, bytes, 0, bytes.length);
  }

  private boolean nextFromTree(SourceRecord record) throws IOException {
    while (pending.isEmpty()) {
      JsonToken token = parser.nextToken();
      if (token == null) {
        return false;
      }
      if (token != JsonToken.START_OBJECT && token != JsonToken.START_ARRAY) {
        throw malformed("expected a JSON object or array, found " + token);
      }
      JsonNode value = parser.readValueAsTree();
      JsonNode rows = root == null ? value : root.find(value);
      if (rows == null || rows.isMissingNode() || rows.isNull()) {
        throw malformed("json_root " + root.text() + " finds nothing");
      }
      if (rows.isArray()) {
        if (!stripOuterArray) {
          throw malformed("JSON data is array-object, `strip_outer_array` must be TRUE");
        }
        rows.forEach(pending::add);
      } else {
        pending.add(rows);
      }
    }
    JsonNode row = pending.poll();
    record.reset(fieldNames.size());
    record.rawData = null;
    record.line = line();
    for (int field = 0; field < fieldNames.size(); field++) {
      JsonNode node = paths != null ? paths.get(field).find(row) : findByName(row, field);
      if (node == null || node.isMissingNode()) {
        continue;
      }
      if (node.isNull()) {
        record.setNull(field);
      } else if (node.isValueNode()) {
        setText(record, field, node.asText());
      } else {
        setText(record, field, node.toString());
      }
    }
    return true;
  }

  private JsonNode findByName(JsonNode row, int field) {
    String name = fieldNames.get(field);
    JsonNode node = row.get(name);
    if (node != null) {
      return node;
    }
    for (Map.Entry<String, JsonNode> entry : row.properties()) {
      if (entry.getKey().equalsIgnoreCase(name)) {
        return entry.getValue();
      }
    }
    return null;
  }
}
