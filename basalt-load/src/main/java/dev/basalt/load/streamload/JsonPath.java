package dev.basalt.load.streamload;

import com.fasterxml.jackson.databind.JsonNode;
import dev.basalt.common.error.BasaltException;
import dev.basalt.common.error.ErrorCode;
import java.util.ArrayList;
import java.util.List;

/**
 * A simple JSON path as the {@code jsonpaths} and {@code json_root} headers use them: {@code $}
 * followed by {@code .name} steps and {@code [index]} steps, e.g. {@code $.order.items[0].id}.
 * Immutable and thread safe.
 */
record JsonPath(String text, List<Object> steps) {

  /**
   * @throws BasaltException LOAD_BAD_HEADER naming {@code header} when the path has another form
   */
  static JsonPath parse(String header, String text) {
    String path = text.strip();
    if (!path.startsWith("$")) {
      throw bad(header, text);
    }
    List<Object> steps = new ArrayList<>();
    int i = 1;
    while (i < path.length()) {
      char c = path.charAt(i);
      if (c == '.') {
        int end = i + 1;
        while (end < path.length() && path.charAt(end) != '.' && path.charAt(end) != '[') {
          end++;
        }
        if (end == i + 1) {
          throw bad(header, text);
        }
        steps.add(path.substring(i + 1, end));
        i = end;
      } else if (c == '[') {
        int end = path.indexOf(']', i);
        if (end < 0) {
          throw bad(header, text);
        }
        String inside = path.substring(i + 1, end).strip();
        if (inside.length() >= 2
            && (inside.startsWith("'") && inside.endsWith("'")
                || inside.startsWith("\"") && inside.endsWith("\""))) {
          steps.add(inside.substring(1, inside.length() - 1));
        } else {
          try {
            steps.add(Integer.parseInt(inside));
          } catch (NumberFormatException e) {
            throw bad(header, text);
          }
        }
        i = end + 1;
      } else {
        throw bad(header, text);
      }
    }
    return new JsonPath(path, List.copyOf(steps));
  }

  private static BasaltException bad(String header, String text) {
    return new BasaltException(
        ErrorCode.LOAD_BAD_HEADER,
        header,
        "'" + text + "' is not a path of the form $.name.name[index]");
  }

  /** The node at this path below {@code root}, or {@code null} when there is none. */
  JsonNode find(JsonNode root) {
    JsonNode node = root;
    for (Object step : steps) {
      if (node == null) {
        return null;
      }
      node = step instanceof Integer index ? node.get(index) : node.get((String) step);
    }
    return node;
  }
}
