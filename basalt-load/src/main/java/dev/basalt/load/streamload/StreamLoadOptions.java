package dev.basalt.load.streamload;

import dev.basalt.common.error.BasaltException;
import dev.basalt.common.error.ErrorCode;
import dev.basalt.load.groupcommit.GroupCommitMode;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The request headers of one Stream Load, checked and typed (see docs/stream-load.md for each
 * header, its default, and the Basalt choices where Doris is silent). Headers Basalt does not do
 * yet fail the load with LOAD_UNSUPPORTED_HEADER rather than being ignored. Immutable.
 */
public record StreamLoadOptions(
    String label,
    Format format,
    byte[] columnSeparator,
    byte[] lineDelimiter,
    int enclose,
    int escape,
    boolean trimDoubleQuotes,
    int skipLines,
    List<String> columns,
    Map<String, String> derivedColumns,
    double maxFilterRatio,
    boolean strictMode,
    long timeoutSeconds,
    ZoneId timezone,
    boolean stripOuterArray,
    boolean readJsonByLine,
    List<String> jsonPaths,
    String jsonRoot,
    Compression compression,
    String comment,
    boolean twoPhaseCommit,
    String where,
    List<String> partitions,
    boolean temporaryPartitions,
    MergeType mergeType,
    String deleteCondition,
    String sequenceColumn,
    boolean partialColumns,
    List<String> hiddenColumns,
    GroupCommitMode groupCommit) {

  /** Doris's FE default {@code stream_load_default_timeout_second}. */
  public static final long DEFAULT_TIMEOUT_SECONDS = 259_200;

  /** The body's format ({@code format} header). */
  public enum Format {
    CSV,
    CSV_WITH_NAMES,
    CSV_WITH_NAMES_AND_TYPES,
    JSON
  }

  /** What the rows of a load do to a UNIQUE KEY table ({@code merge_type} header). */
  public enum MergeType {
    /** Rows are written (upserted). */
    APPEND,
    /** Every row deletes the row with its key. */
    DELETE,
    /** Rows for which the {@code delete} condition is true delete their key; others are written. */
    MERGE
  }

  /** The body's compression ({@code compress_type} header). */
  public enum Compression {
    NONE,
    GZ,
    LZ4,
    ZSTD,
    BZ2
  }

  /**
   * Parses the headers (names in any case).
   *
   * @throws BasaltException LOAD_BAD_HEADER for a value that does not parse,
   *     LOAD_UNSUPPORTED_HEADER for a header (or value) not done yet
   */
  public static StreamLoadOptions parse(Map<String, String> rawHeaders) {
    // Hashed by lower-case name: some forty look-ups in a case-insensitive tree were a fiftieth of
    // a
    // 10-row group-commit load's server CPU.
    Map<String, String> headers = java.util.HashMap.newHashMap(rawHeaders.size());
    rawHeaders.forEach(
        (name, value) -> headers.put(name.toLowerCase(java.util.Locale.ROOT), value));
    refuseUnsupported(headers);
    String label = headers.get("label");
    if (label != null) {
      label = label.strip();
      if (label.isEmpty() || label.length() > 128) {
        throw new BasaltException(
            ErrorCode.LOAD_BAD_HEADER, "label", "a label has 1 to 128 characters");
      }
    }
    Format format = format(headers.getOrDefault("format", "csv"));
    byte[] separator =
        separator("column_separator", headers.getOrDefault("column_separator", "\t"));
    byte[] delimiter = separator("line_delimiter", headers.getOrDefault("line_delimiter", "\n"));
    int enclose = singleByte("enclose", headers.get("enclose"));
    int escape = singleByte("escape", headers.get("escape"));
    boolean trimDoubleQuotes = bool("trim_double_quotes", headers.get("trim_double_quotes"), false);
    int skipLines = (int) number("skip_lines", headers.get("skip_lines"), 0, 0, Integer.MAX_VALUE);
    List<String> columns = new ArrayList<>();
    Map<String, String> derived = new java.util.LinkedHashMap<>();
    boolean hasColumns = columns(headers.get("columns"), columns, derived);
    double maxFilterRatio = ratio(headers.get("max_filter_ratio"));
    boolean strict = bool("strict_mode", headers.get("strict_mode"), false);
    long timeout =
        number(
            "timeout", headers.get("timeout"), DEFAULT_TIMEOUT_SECONDS, 1, Long.MAX_VALUE / 1000);
    String zone = headers.getOrDefault("timezone", headers.get("time_zone"));
    ZoneId timezone;
    try {
      timezone = zone == null ? ZoneId.systemDefault() : ZoneId.of(zone.strip());
    } catch (DateTimeException e) {
      throw new BasaltException(ErrorCode.UNKNOWN_TIME_ZONE, zone);
    }
    boolean stripOuterArray = bool("strip_outer_array", headers.get("strip_outer_array"), false);
    boolean readJsonByLine = bool("read_json_by_line", headers.get("read_json_by_line"), false);
    bool("fuzzy_parse", headers.get("fuzzy_parse"), false);
    bool("num_as_string", headers.get("num_as_string"), false);
    List<String> jsonPaths = jsonPaths(headers.get("jsonpaths"));
    String jsonRoot = headers.get("json_root");
    if (jsonRoot != null) {
      jsonRoot = jsonRoot.strip();
      JsonPath.parse("json_root", jsonRoot);
    }
    if (hasColumns && jsonPaths != null && columns.size() != jsonPaths.size()) {
      throw new BasaltException(
          ErrorCode.LOAD_BAD_HEADER,
          "jsonpaths",
          "it lists " + jsonPaths.size() + " paths but 'columns' lists " + columns.size());
    }
    Compression compression = compression(headers.get("compress_type"));
    String comment = headers.getOrDefault("comment", "");
    boolean twoPhaseCommit = bool("two_phase_commit", headers.get("two_phase_commit"), false);
    String where = headers.get("where");
    if (where != null && where.isBlank()) {
      throw new BasaltException(ErrorCode.LOAD_BAD_HEADER, "where", "it must not be empty");
    }
    List<String> partitions = partitions("partitions", headers.get("partitions"));
    List<String> temporary =
        partitions("temporary_partitions", headers.get("temporary_partitions"));
    if (partitions != null && temporary != null) {
      throw new BasaltException(
          ErrorCode.LOAD_BAD_HEADER,
          "temporary_partitions",
          "'partitions' and 'temporary_partitions' cannot be given together");
    }
    boolean temporaryPartitions = temporary != null;
    if (temporaryPartitions) {
      partitions = temporary;
    }
    MergeType mergeType = mergeType(headers.get("merge_type"));
    String deleteCondition = headers.get("delete");
    String sequenceColumn = headers.get("function_column.sequence_col");
    boolean partialColumns = bool("partial_columns", headers.get("partial_columns"), false);
    if (mergeType == MergeType.MERGE && (deleteCondition == null || deleteCondition.isBlank())) {
      throw new BasaltException(
          ErrorCode.LOAD_BAD_HEADER,
          "delete",
          "merge_type MERGE needs a 'delete' condition, e.g. delete: flag = 1");
    }
    if (mergeType != MergeType.MERGE && deleteCondition != null) {
      throw new BasaltException(
          ErrorCode.LOAD_BAD_HEADER, "delete", "a 'delete' condition needs merge_type MERGE");
    }
    GroupCommitMode groupCommit = GroupCommitMode.parse(headers.get("group_commit"));
    if (groupCommit != GroupCommitMode.OFF_MODE) {
      if (twoPhaseCommit) {
        throw new BasaltException(ErrorCode.GROUP_COMMIT_WITH_TWO_PHASE_COMMIT);
      }
      if (label != null) {
        throw new BasaltException(ErrorCode.GROUP_COMMIT_WITH_LABEL);
      }
      if (partitions != null || mergeType != MergeType.APPEND) {
        // As Doris: loads a group cannot take (chosen partitions, deletes) commit on their own.
        groupCommit = GroupCommitMode.OFF_MODE;
      }
    }
    return new StreamLoadOptions(
        label,
        format,
        separator,
        delimiter,
        enclose,
        escape,
        trimDoubleQuotes,
        skipLines,
        hasColumns ? List.copyOf(columns) : null,
        java.util.Collections.unmodifiableMap(derived),
        maxFilterRatio,
        strict,
        timeout,
        timezone,
        stripOuterArray,
        readJsonByLine,
        jsonPaths,
        jsonRoot,
        compression,
        comment,
        twoPhaseCommit,
        where == null ? null : where.strip(),
        partitions,
        temporaryPartitions,
        mergeType,
        deleteCondition == null ? null : deleteCondition.strip(),
        sequenceColumn == null || sequenceColumn.isBlank() ? null : sequenceColumn.strip(),
        partialColumns,
        hiddenColumns(headers.get("hidden_columns")),
        groupCommit);
  }

  /** The {@code hidden_columns} header: only {@code __DORIS_DELETE_SIGN__} is known. */
  private static List<String> hiddenColumns(String text) {
    if (text == null || text.isBlank()) {
      return List.of();
    }
    List<String> names = new java.util.ArrayList<>();
    for (String name : text.split(",")) {
      String stripped = name.strip();
      if (!stripped.equalsIgnoreCase("__DORIS_DELETE_SIGN__")) {
        throw new BasaltException(
            ErrorCode.LOAD_UNSUPPORTED_HEADER,
            "hidden_columns",
            "only __DORIS_DELETE_SIGN__ can be loaded, not " + stripped);
      }
      names.add(stripped);
    }
    return List.copyOf(names);
  }

  private static void refuseUnsupported(Map<String, String> headers) {
    String updateMode = headers.get("unique_key_update_mode");
    if (updateMode != null && !updateMode.strip().equalsIgnoreCase("UPSERT")) {
      unsupported("unique_key_update_mode", "only UPSERT is supported");
    }
    String negative = headers.get("negative");
    if (negative != null && bool("negative", negative, false)) {
      unsupported("negative", "remove the header");
    }
  }

  private static void unsupported(String header, String hint) {
    throw new BasaltException(ErrorCode.LOAD_UNSUPPORTED_HEADER, header, hint);
  }

  private static Format format(String text) {
    return switch (text.strip().toLowerCase(Locale.ROOT)) {
      case "csv", "" -> Format.CSV;
      case "csv_with_names" -> Format.CSV_WITH_NAMES;
      case "csv_with_names_and_types" -> Format.CSV_WITH_NAMES_AND_TYPES;
      case "json" -> Format.JSON;
      case "parquet", "orc", "arrow", "hive_text" ->
          throw new BasaltException(
              ErrorCode.LOAD_UNSUPPORTED_HEADER, "format", "format " + text + " is not yet done");
      default ->
          throw new BasaltException(
              ErrorCode.LOAD_BAD_HEADER,
              "format",
              "unknown data format, format="
                  + text
                  + " (csv, csv_with_names,"
                  + " csv_with_names_and_types or json)");
    };
  }

  private static MergeType mergeType(String text) {
    if (text == null) {
      return MergeType.APPEND;
    }
    return switch (text.strip().toUpperCase(Locale.ROOT)) {
      case "APPEND", "" -> MergeType.APPEND;
      case "DELETE" -> MergeType.DELETE;
      case "MERGE" -> MergeType.MERGE;
      default ->
          throw new BasaltException(
              ErrorCode.LOAD_BAD_HEADER,
              "merge_type",
              "'" + text + "' is not one of APPEND, DELETE, MERGE");
    };
  }

  private static Compression compression(String text) {
    if (text == null) {
      return Compression.NONE;
    }
    return switch (text.strip().toLowerCase(Locale.ROOT)) {
      case "", "plain" -> Compression.NONE;
      case "gz", "gzip" -> Compression.GZ;
      case "lz4", "lz4frame" -> Compression.LZ4;
      case "zstd" -> Compression.ZSTD;
      case "bz2", "bzip2" -> Compression.BZ2;
      default ->
          throw new BasaltException(
              ErrorCode.LOAD_BAD_HEADER,
              "compress_type",
              "'" + text + "' is not one of gz, lz4, zstd, bz2");
    };
  }

  /**
   * A separator or delimiter: {@code \x} followed by hex digit pairs is those bytes; {@code \t},
   * {@code \n}, {@code \r}, {@code \\} are the control characters (a Basalt choice: curl users
   * write them literally); anything else is its UTF-8 bytes.
   */
  static byte[] separator(String header, String text) {
    if (text.isEmpty()) {
      throw new BasaltException(ErrorCode.LOAD_BAD_HEADER, header, "it must not be empty");
    }
    if (text.length() > 2 && (text.startsWith("\\x") || text.startsWith("\\X"))) {
      String hex = text.substring(2);
      if (hex.length() % 2 != 0 || !hex.matches("[0-9a-fA-F]+")) {
        throw new BasaltException(
            ErrorCode.LOAD_BAD_HEADER, header, "'" + text + "' is not \\x followed by hex pairs");
      }
      byte[] bytes = new byte[hex.length() / 2];
      for (int i = 0; i < bytes.length; i++) {
        bytes[i] = (byte) Integer.parseInt(hex.substring(i * 2, i * 2 + 2), 16);
      }
      return bytes;
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '\\' && i + 1 < text.length()) {
        char next = text.charAt(i + 1);
        int control =
            switch (next) {
              case 't' -> '\t';
              case 'n' -> '\n';
              case 'r' -> '\r';
              case '\\' -> '\\';
              default -> -1;
            };
        if (control >= 0) {
          bytes.write(control);
          i++;
          continue;
        }
      }
      byte[] utf8 = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
      bytes.write(utf8, 0, utf8.length);
    }
    byte[] result = bytes.toByteArray();
    if (result.length > 16) {
      throw new BasaltException(ErrorCode.LOAD_BAD_HEADER, header, "at most 16 bytes");
    }
    return result;
  }

  private static int singleByte(String header, String text) {
    if (text == null || text.isEmpty()) {
      return -1;
    }
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    if (bytes.length != 1) {
      throw new BasaltException(ErrorCode.LOAD_BAD_HEADER, header, header + " must be single-char");
    }
    return bytes[0] & 0xFF;
  }

  static boolean bool(String header, String text, boolean fallback) {
    if (text == null) {
      return fallback;
    }
    return switch (text.strip().toLowerCase(Locale.ROOT)) {
      case "true" -> true;
      case "false" -> false;
      default ->
          throw new BasaltException(
              ErrorCode.LOAD_BAD_HEADER,
              header,
              "Invalid " + header.replace('_', ' ') + " format. Must be bool type");
    };
  }

  private static long number(String header, String text, long fallback, long min, long max) {
    if (text == null) {
      return fallback;
    }
    try {
      long value = Long.parseLong(text.strip());
      if (value >= min && value <= max) {
        return value;
      }
    } catch (NumberFormatException e) {
      // Reported below.
    }
    throw new BasaltException(
        ErrorCode.LOAD_BAD_HEADER, header, "'" + text + "' is not an integer from " + min);
  }

  private static double ratio(String text) {
    if (text == null) {
      return 0;
    }
    try {
      double value = Double.parseDouble(text.strip());
      if (value >= 0 && value <= 1) {
        return value;
      }
    } catch (NumberFormatException e) {
      // Reported below.
    }
    throw new BasaltException(
        ErrorCode.LOAD_BAD_HEADER, "max_filter_ratio", "'" + text + "' is not a number in [0, 1]");
  }

  private static final java.util.regex.Pattern DERIVED =
      java.util.regex.Pattern.compile(
          "\\s*`?([A-Za-z_][A-Za-z0-9_]*)`?\\s*=(?!=)(.*)", java.util.regex.Pattern.DOTALL);

  /**
   * The {@code columns} header: source field names and derived columns ({@code name = expression}),
   * separated by commas outside parentheses and quotes. Returns whether the header was given.
   */
  private static boolean columns(String text, List<String> names, Map<String, String> derived) {
    if (text == null || text.isBlank()) {
      return false;
    }
    for (String part : splitTopLevel(text)) {
      java.util.regex.Matcher expression = DERIVED.matcher(part);
      if (expression.matches()) {
        String target = expression.group(1);
        String body = expression.group(2).strip();
        if (body.isEmpty()) {
          throw new BasaltException(
              ErrorCode.LOAD_BAD_HEADER, "columns", "'" + part.strip() + "' has no expression");
        }
        for (String earlier : derived.keySet()) {
          if (earlier.equalsIgnoreCase(target)) {
            throw new BasaltException(
                ErrorCode.LOAD_BAD_HEADER, "columns", "column '" + target + "' is derived twice");
          }
        }
        derived.put(target, body);
        continue;
      }
      String name = part.strip();
      if (name.length() > 1 && name.startsWith("`") && name.endsWith("`")) {
        name = name.substring(1, name.length() - 1);
      }
      if (name.isEmpty()) {
        throw new BasaltException(
            ErrorCode.LOAD_BAD_HEADER, "columns", "'" + text + "' has an empty column name");
      }
      for (String earlier : names) {
        if (earlier.equalsIgnoreCase(name)) {
          throw new BasaltException(
              ErrorCode.LOAD_BAD_HEADER, "columns", "column '" + name + "' is listed twice");
        }
      }
      names.add(name);
    }
    return true;
  }

  /** Splits at commas that are outside parentheses and quotes. */
  private static List<String> splitTopLevel(String text) {
    List<String> parts = new ArrayList<>();
    int depth = 0;
    char quote = 0;
    int start = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (quote != 0) {
        if (c == quote) {
          quote = 0;
        }
      } else if (c == '\'' || c == '"' || c == '`') {
        quote = c;
      } else if (c == '(') {
        depth++;
      } else if (c == ')') {
        depth--;
      } else if (c == ',' && depth == 0) {
        parts.add(text.substring(start, i));
        start = i + 1;
      }
    }
    parts.add(text.substring(start));
    return parts;
  }

  /**
   * The {@code partitions} or {@code temporary_partitions} header ({@code header}): names separated
   * by commas (backquotes allowed), or null.
   */
  private static List<String> partitions(String header, String text) {
    if (text == null) {
      return null;
    }
    List<String> names = new ArrayList<>();
    for (String part : text.split(",")) {
      String name = part.strip();
      if (name.length() > 1 && name.startsWith("`") && name.endsWith("`")) {
        name = name.substring(1, name.length() - 1);
      }
      if (name.isEmpty()) {
        throw new BasaltException(
            ErrorCode.LOAD_BAD_HEADER, header, "'" + text + "' has an empty partition name");
      }
      names.add(name);
    }
    return List.copyOf(names);
  }

  private static List<String> jsonPaths(String text) {
    if (text == null || text.isBlank()) {
      return null;
    }
    String trimmed = text.strip();
    if (!trimmed.startsWith("[") || !trimmed.endsWith("]")) {
      throw new BasaltException(
          ErrorCode.LOAD_BAD_HEADER, "jsonpaths", "a JSON array of paths, e.g. [\"$.a\",\"$.b\"]");
    }
    List<String> paths = new ArrayList<>();
    try {
      com.fasterxml.jackson.databind.JsonNode array =
          new com.fasterxml.jackson.databind.ObjectMapper().readTree(trimmed);
      for (com.fasterxml.jackson.databind.JsonNode path : array) {
        if (!path.isTextual()) {
          throw new BasaltException(
              ErrorCode.LOAD_BAD_HEADER, "jsonpaths", "every path must be a string");
        }
        JsonPath.parse("jsonpaths", path.asText());
        paths.add(path.asText());
      }
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new BasaltException(
          ErrorCode.LOAD_BAD_HEADER, "jsonpaths", "not valid JSON: " + e.getOriginalMessage());
    }
    return List.copyOf(paths);
  }
}
