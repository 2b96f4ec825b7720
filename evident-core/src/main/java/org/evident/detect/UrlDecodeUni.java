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
  private final boolean unicode;

  UrlDecodeUni() {
    this(true);
  }

  UrlDecodeUni(boolean unicode) {
    this.unicode = unicode;
  }

  @Override
  public String name() {
    return unicode ? "urlDecodeUni" : "urlDecode";
  }

  @Override
  public String triggers() {
    return "%+";
  }

  @Override
  public String apply(String input) {
    String v = input;
    for (int pass = 0; pass < MAX_PASSES; pass++) {
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
