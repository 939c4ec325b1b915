package dev.basalt.server.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * How the HTTP endpoints answer: Doris's REST envelope ({@code msg}, {@code code}, {@code data},
 * {@code count}) that its front end's {@code /api/...} endpoints wrap their answers in, written as
 * JSON, and plain bodies.
 */
final class HttpReplies {
  private static final ObjectMapper JSON = new ObjectMapper();

  private HttpReplies() {}

  /** Doris's envelope of a successful answer. */
  static Map<String, Object> success(Object data) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("msg", "success");
    body.put("code", 0);
    body.put("data", data);
    body.put("count", 0);
    return body;
  }

  /** Doris's envelope of a refusal; {@code code} 401 reads "Unauthorized", others "Error". */
  static Map<String, Object> error(int code, String message) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("msg", code == 401 ? "Unauthorized" : "Error");
    body.put("code", code);
    body.put("data", message);
    body.put("count", 0);
    return body;
  }

  /** Answers {@code body} (strings, numbers, lists and maps of them) as JSON. */
  static void json(Response response, Callback callback, int status, Map<String, Object> body) {
    String text;
    try {
      text = JSON.writeValueAsString(body);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a map of strings and numbers always serializes", e);
    }
    text(response, callback, status, "application/json; charset=utf-8", text);
  }

  /** Answers {@code body} as UTF-8 with the given content type; completes the callback. */
  static void text(
      Response response, Callback callback, int status, String contentType, String body) {
    response.setStatus(status);
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, contentType);
    response.write(true, ByteBuffer.wrap(body.getBytes(StandardCharsets.UTF_8)), callback);
  }
}
