package dev.basalt.meta.catalog;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.basalt.common.error.BasaltException;
import dev.basalt.common.error.ErrorCode;
import java.io.IOException;

/** The JSON encoding of catalog records in the {@code MetaStore}. Thread safe. */
final class CatalogJson {
  private static final ObjectMapper MAPPER =
      new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

  private CatalogJson() {}

  static byte[] encode(Object value) {
    try {
      return MAPPER.writeValueAsBytes(value);
    } catch (IOException e) {
      throw new IllegalStateException("cannot encode " + value.getClass().getSimpleName(), e);
    }
  }

  static <T> T decode(String key, byte[] bytes, Class<T> type) {
    try {
      return MAPPER.readValue(bytes, type);
    } catch (IOException e) {
      throw new BasaltException(
          e, ErrorCode.STORAGE_CORRUPTION, "metadata entry " + key, e.getMessage());
    }
  }
}
