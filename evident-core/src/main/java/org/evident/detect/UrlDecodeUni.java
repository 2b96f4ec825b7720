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

  /*
   * One pass over a char array: runs without '%' or '+' are found with indexOf and copied whole,
   * escapes decoded in place. Real query strings are full of escapes (encoded URLs in tracking
   * parameters), and a pass of charAt and StringBuilder appends was a quarter of judging the
   * real-world benign corpus.
   */
  String once(String s) {
    int pct = s.indexOf('%');
    if (pct < 0) {
      // a search phrase: spaces sent as '+' and nothing encoded
      return s.indexOf('+') < 0 ? s : s.replace('+', ' ');
    }
    int n = s.length();
    int plus = s.indexOf('+');
    if (plus < 0) {
      plus = n;
    }
    int i = Math.min(pct, plus);
    char[] out = new char[n]; // every escape and '+' gives at most one character per input one
    s.getChars(0, i, out, 0);
    int o = i;
    byte[] pending = null;
    int np = 0;
    boolean changed = false;
    while (i < n) {
      char c = s.charAt(i);
      if (c == '%') {
        int b = Hex.value(s, i + 1, 2);
        if (b >= 0) {
          if (pending == null) {
            pending = new byte[n / 3];
          }
          pending[np++] = (byte) b;
          i += 3;
          changed = true;
          continue;
        }
        int u = unicode && i + 5 < n && (s.charAt(i + 1) | 0x20) == 'u'
            ? Hex.value(s, i + 2, 4) : -1;
        if (u >= 0) {
          o = flush(out, o, pending, np);
          np = 0;
          // fullwidth ASCII (%uff1c) as the ASCII it stands for, as ModSecurity decodes it
          out[o++] = (char) (u >= 0xff01 && u <= 0xff5e ? u - 0xfee0 : u);
          i += 6;
          changed = true;
          continue;
        }
      }
      o = flush(out, o, pending, np);
      np = 0;
      if (c == '+') {
        out[o++] = ' ';
        changed = true;
        i++;
        continue;
      }
      // the run up to the next '%' or '+' (each found once as i moves on: linear)
      if (pct <= i) {
        pct = s.indexOf('%', i + 1);
        pct = pct < 0 ? n : pct;
      }
      if (plus <= i) {
        plus = s.indexOf('+', i + 1);
        plus = plus < 0 ? n : plus;
      }
      int j = Math.min(pct, plus);
      s.getChars(i, j, out, o);
      o += j - i;
      i = j;
    }
    o = flush(out, o, pending, np);
    return changed ? new String(out, 0, o) : s;
  }

  /** Appends the pending decoded bytes: as UTF-8 where they form it, else byte for byte. */
  private static int flush(char[] out, int o, byte[] pending, int np) {
    if (np == 0) {
      return o;
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
        out[o++] = (char) pending[k];
      }
      return o;
    }
    String d = new String(pending, 0, np, Utf8.isValid(pending, 0, np)
        ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
    d.getChars(0, d.length(), out, o);
    return o + d.length();
  }
}
