package org.evident.detect;

import java.nio.charset.StandardCharsets;

/**
 * Percent-decoding that also understands IIS {@code %uHHHH} and '+' as space, repeated until the
 * text stops changing (at most three passes), so double and triple encoding cannot hide a payload.
 * Decoded bytes are read as UTF-8 where they form it, else byte for byte.
 */
final class UrlDecodeUni implements Transformation {
  static final int MAX_PASSES = 3;

  @Override
  public String name() {
    return "urlDecodeUni";
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

  static String once(String s) {
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
      if (c == '%' && hex(s, i + 1, 2) >= 0) {
        if (np == pending.length) {
          pending = java.util.Arrays.copyOf(pending, pending.length * 2);
        }
        pending[np++] = (byte) hex(s, i + 1, 2);
        i += 2;
        changed = true;
        continue;
      }
      if (c == '%' && i + 5 < n && (s.charAt(i + 1) == 'u' || s.charAt(i + 1) == 'U')
          && hex(s, i + 2, 4) >= 0) {
        np = flush(out, pending, np);
        out.append((char) hex(s, i + 2, 4));
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

  private static int hex(String s, int from, int len) {
    if (from + len > s.length()) {
      return -1;
    }
    int v = 0;
    for (int k = from; k < from + len; k++) {
      char ch = s.charAt(k);
      int d = ch < 128 ? HEX[ch] : -1;
      if (d < 0) {
        return -1;
      }
      v = v * 16 + d;
    }
    return v;
  }

  private static final int[] HEX = new int[128];

  static {
    java.util.Arrays.fill(HEX, -1);
    for (int c = '0'; c <= '9'; c++) {
      HEX[c] = c - '0';
    }
    for (int c = 'a'; c <= 'f'; c++) {
      HEX[c] = c - 'a' + 10;
      HEX[c - 32] = c - 'a' + 10;
    }
  }
}
