package org.evident.detect;

/**
 * Normalises a command line the way shells read it, as ModSecurity's {@code cmdLine}: removes
 * {@code \\ " ' ^}, turns {@code ,} and {@code ;} into spaces, folds white space, drops spaces
 * before {@code /} and {@code (}, and lower-cases. {@code c^at "/etc/pass"'wd'} reads
 * {@code cat/etc/passwd}.
 */
final class CmdLine implements Transformation {
  /**
   * The ASCII characters it removes, turns into spaces or lower-cases. Without any of them (and
   * with no character beyond ASCII) a value is already as a shell reads it: CRS runs cmdLine on
   * every argument, and most are plain lower-case words and numbers.
   */
  private static final String TRIGGERS = "\\\"'^ ,;\t\r\nABCDEFGHIJKLMNOPQRSTUVWXYZ";

  @Override
  public String name() {
    return "cmdLine";
  }

  @Override
  public String triggers() {
    return TRIGGERS;
  }

  /**
   * The detector calls this only when a trigger occurs; others get the input back if unchanged.
   * Writes into a char array: CRS runs it on every argument with a capital or a space, and a
   * StringBuilder's per-character checks were most of its cost.
   */
  @Override
  public String apply(String s) {
    int n = s.length();
    char[] out = new char[n]; // never longer: a space out stands for one read
    int len = 0;
    boolean space = false;
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      switch (c) {
        case '\\', '"', '\'', '^' -> { }
        case ' ', ',', ';', '\t', '\r', '\n' -> space = true;
        case '/', '(' -> {
          space = false;
          out[len++] = c;
        }
        default -> {
          if (space && len > 0) {
            out[len++] = ' ';
          }
          space = false;
          out[len++] = c < 128 ? (c >= 'A' && c <= 'Z' ? (char) (c + 32) : c)
              : Character.toLowerCase(c);
        }
      }
    }
    if (len == n) {
      int i = 0;
      while (i < n && out[i] == s.charAt(i)) {
        i++;
      }
      if (i == n) {
        return s;
      }
    }
    return new String(out, 0, len);
  }
}
