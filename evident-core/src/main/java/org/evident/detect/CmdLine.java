package org.evident.detect;

/**
 * Normalises a command line the way shells read it, as ModSecurity's {@code cmdLine}: removes
 * {@code \\ " ' ^}, turns {@code ,} and {@code ;} into spaces, folds white space, drops spaces
 * before {@code /} and {@code (}, and lower-cases. {@code c^at "/etc/pass"'wd'} reads
 * {@code cat/etc/passwd}.
 */
final class CmdLine implements Transformation {

  @Override
  public String name() {
    return "cmdLine";
  }

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
    return b.toString();
  }
}
