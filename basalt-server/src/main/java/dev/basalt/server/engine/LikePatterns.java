package dev.basalt.server.engine;

import java.util.regex.Pattern;

/** SQL LIKE patterns ({@code %}, {@code _}, backslash escapes) as case-insensitive regexes, for SHOW ... LIKE. */
final class LikePatterns {
  private LikePatterns() {}

  static Pattern toRegex(String like) {
    StringBuilder regex = new StringBuilder();
    for (int i = 0; i < like.length(); i++) {
      char c = like.charAt(i);
      if (c == '\\' && i + 1 < like.length()) {
        regex.append(Pattern.quote(String.valueOf(like.charAt(++i))));
      } else if (c == '%') {
        regex.append(".*");
      } else if (c == '_') {
        regex.append('.');
      } else {
        regex.append(Pattern.quote(String.valueOf(c)));
      }
    }
    return Pattern.compile(regex.toString(), Pattern.CASE_INSENSITIVE | Pattern.DOTALL);
  }
}
