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

  /** The detector calls this only when a trigger occurs; others get the input back if unchanged. */
  @Override
  public String apply(String s) {
    StringBuilder b = new StringBuilder(s.length());
    boolean space = false;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '\\', '"', '\'', '^' -> { }
        case ' ', ',', ';', '\t', '\r', '\n' -> space = true;
        case '/', '(' -> {
          space = false;
          b.append(c);
        }
        default -> {
          if (space && b.length() > 0) {
            b.append(' ');
          }
          space = false;
          b.append(Character.toLowerCase(c));
        }
      }
    }
    String out = b.toString();
    return out.equals(s) ? s : out;
  }
}
