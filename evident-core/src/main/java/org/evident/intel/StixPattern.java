package org.evident.intel;

import java.util.ArrayList;
import java.util.List;

/**
 * Reads the part of the STIX patterning language that web logs can match: comparisons
 * {@code [ipv4-addr:value = '...']}, {@code ipv6-addr}, {@code domain-name} and {@code url},
 * joined by OR. Other object types (file hashes, certificates) are valid patterns that no web log
 * can match; AND, qualifiers and other operators are not supported and are reported as such.
 */
public final class StixPattern {
  /** A comparison the pattern makes: object path and literal. */
  public record Comparison(String path, String value) {}

  /** What a pattern means for web logs. */
  public record Parsed(List<Comparison> comparisons, boolean matchable) {}

  private final String text;
  private int pos;

  private StixPattern(String text) {
    this.text = text;
  }

  /**
   * @throws IllegalArgumentException with what is wrong and where, for malformed patterns
   */
  public static Parsed parse(String pattern) {
    if (pattern == null || pattern.isBlank()) {
      throw new IllegalArgumentException("empty pattern");
    }
    StixPattern p = new StixPattern(pattern);
    List<Comparison> out = new ArrayList<>();
    boolean unsupported = p.observation(out);
    while (true) {
      p.skipSpace();
      if (p.pos == p.text.length()) {
        break;
      }
      if (p.keyword("OR")) {
        unsupported |= p.observation(out);
      } else if (p.keyword("AND") || p.keyword("FOLLOWEDBY")) {
        p.observation(out);
        unsupported = true;
      } else if (p.keyword("WITHIN") || p.keyword("REPEATS") || p.keyword("START")) {
        unsupported = true;
        p.pos = p.text.length(); // qualifiers: the rest is not for a log to match
      } else {
        throw p.error("expected OR, AND or the end");
      }
    }
    boolean matchable = !unsupported && out.stream().allMatch(c -> c.path().equals("ipv4-addr:value")
        || c.path().equals("ipv6-addr:value") || c.path().equals("domain-name:value")
        || c.path().equals("url:value"));
    return new Parsed(out, matchable);
  }

  /** One bracketed observation; returns true when it holds something other than = and OR. */
  private boolean observation(List<Comparison> out) {
    skipSpace();
    if (pos >= text.length() || text.charAt(pos) != '[') {
      throw error("expected '['");
    }
    pos++;
    boolean unsupported = false;
    while (true) {
      skipSpace();
      int start = pos;
      while (pos < text.length() && (Character.isLetterOrDigit(text.charAt(pos))
          || "-_:.".indexOf(text.charAt(pos)) >= 0)) {
        pos++;
      }
      String path = text.substring(start, pos);
      if (path.indexOf(':') <= 0) {
        throw error("expected an object path such as ipv4-addr:value");
      }
      skipSpace();
      if (pos < text.length() && text.charAt(pos) == '=') {
        pos++;
      } else {
        int opStart = pos;
        while (pos < text.length() && text.charAt(pos) != '\'' && text.charAt(pos) != ']') {
          pos++;
        }
        if (opStart == pos) {
          throw error("expected a comparison operator");
        }
        unsupported = true;
      }
      skipSpace();
      out.add(new Comparison(path, literal()));
      skipSpace();
      if (pos < text.length() && text.charAt(pos) == ']') {
        pos++;
        return unsupported;
      }
      if (keyword("OR")) {
        continue;
      }
      if (keyword("AND")) {
        unsupported = true;
        continue;
      }
      throw error("expected ']', OR or AND");
    }
  }

  private String literal() {
    if (pos >= text.length() || text.charAt(pos) != '\'') {
      throw error("expected a quoted string");
    }
    pos++;
    StringBuilder b = new StringBuilder();
    while (pos < text.length()) {
      char c = text.charAt(pos++);
      if (c == '\\' && pos < text.length()) {
        b.append(text.charAt(pos++));
      } else if (c == '\'') {
        return b.toString();
      } else {
        b.append(c);
      }
    }
    throw error("unterminated string");
  }

  private boolean keyword(String k) {
    skipSpace();
    if (text.regionMatches(pos, k, 0, k.length())) {
      int end = pos + k.length();
      if (end == text.length() || Character.isWhitespace(text.charAt(end))
          || text.charAt(end) == '[') {
        pos = end;
        return true;
      }
    }
    return false;
  }

  private void skipSpace() {
    while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
      pos++;
    }
  }

  private IllegalArgumentException error(String what) {
    return new IllegalArgumentException(what + " at character " + (pos + 1));
  }
}
