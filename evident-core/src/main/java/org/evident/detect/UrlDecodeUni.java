package org.evident.detect;

import java.nio.charset.StandardCharsets;

/**
 * Percent-decoding with '+' as space, repeated until the text stops changing (at most four
 * passes), so double and triple encoding cannot hide a payload. The {@code urlDecodeUni} variant
 * also understands IIS {@code %uHHHH}. Decoded bytes are read as UTF-8 where they form it, else
 * byte for byte.
 */
final class UrlDecodeUni implements Transformation {
  static final int MAX_PASSES = 4;
  private final String name;
  private final boolean unicode;
  private final int passes;

  UrlDecodeUni() {
    this(true);
  }

  UrlDecodeUni(boolean unicode) {
    this(unicode ? "urlDecodeUni" : "urlDecode", unicode, MAX_PASSES);
  }

  private UrlDecodeUni(String name, boolean unicode, int passes) {
    this.name = name;
    this.unicode = unicode;
    this.passes = passes;
  }

  /**
   * One pass, as a web server's argument parser decodes: what ModSecurity hands CRS rules in
   * {@code ARGS} before their own transformations.
   */
  static UrlDecodeUni argumentParser() {
    return new UrlDecodeUni("argumentDecode", false, 1);
  }

  /**
   * One pass, as ModSecurity's own {@code t:urlDecode} and {@code t:urlDecodeUni} decode: CRS's
   * patterns expect what is left encoded after that (its regression tests pass more often).
   */
  static UrlDecodeUni modSecurity(boolean unicode) {
    return new UrlDecodeUni(unicode ? "urlDecodeUniOnce" : "urlDecodeOnce", unicode, 1);
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public String triggers() {
    return "%+";
  }

  @Override
  public String apply(String input) {
    String v = input;
    for (int pass = 0; pass < passes; pass++) {
      String next = once(v);
      if (next == v) {
        return v;
      }
      v = next;
    }
    return v;
  }

  String once(String s) {
    int n = s.length();
    int i = 0;
    while (i < n && s.charAt(i) != '%' && s.charAt(i) != '+') {
      i++;
    }
    if (i == n) {
      return s;
    }
    if (s.indexOf('%', i) < 0) {
      return s.replace('+', ' '); // a search phrase: spaces sent as '+' and nothing encoded
    }
    StringBuilder out = new StringBuilder(n);
    out.append(s, 0, i);
    byte[] pending = new byte[Math.min(n, 256)];
    int np = 0;
    boolean changed = false;
    for (; i < n; i++) {
      char c = s.charAt(i);
      if (c == '%' && Hex.value(s, i + 1, 2) >= 0) {
        if (np == pending.length) {
          pending = java.util.Arrays.copyOf(pending, pending.length * 2);
        }
        pending[np++] = (byte) Hex.value(s, i + 1, 2);
        i += 2;
        changed = true;
        continue;
      }
      if (unicode && c == '%' && i + 5 < n && (s.charAt(i + 1) == 'u' || s.charAt(i + 1) == 'U')
          && Hex.value(s, i + 2, 4) >= 0) {
        np = flush(out, pending, np);
        out.append((char) Hex.value(s, i + 2, 4));
        i += 5;
        changed = true;
        continue;
      }
      np = flush(out, pending, np);
      if (c == '+') {
        out.append(' ');
        changed = true;
      } else {
        int j = i + 1;
        while (j < n && s.charAt(j) != '%' && s.charAt(j) != '+') {
          j++;
        }
        out.append(s, i, j);
        i = j - 1;
      }
    }
    flush(out, pending, np);
    return changed ? out.toString() : s;
  }

  private static int flush(StringBuilder out, byte[] pending, int np) {
    if (np == 0) {
      return 0;
    }
    boolean ascii = true;
    for (int k = 0; k < np; k++) {
      if (pending[k] < 0) {
        ascii = false;
        break;
      }
    }
    if (ascii) {
      for (int k = 0; k < np; k++) {
        out.append((char) pending[k]);
      }
    } else if (Utf8.isValid(pending, 0, np)) {
      out.append(new String(pending, 0, np, StandardCharsets.UTF_8));
    } else {
      out.append(new String(pending, 0, np, StandardCharsets.ISO_8859_1));
    }
    return 0;
  }
}
