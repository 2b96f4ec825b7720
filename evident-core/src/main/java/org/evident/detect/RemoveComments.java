package org.evident.detect;

/**
 * Removes comments of the languages attackers hide in: {@code /* ... *}{@code /} and
 * {@code <!-- ... -->} (an unterminated one runs to the end), and {@code --} or {@code #} to the
 * end of the text.
 */
final class RemoveComments implements Transformation {

  @Override
  public String name() {
    return "removeComments";
  }

  @Override
  public String triggers() {
    return "*<-#";
  }

  @Override
  public String apply(String s) {
    StringBuilder b = null;
    int n = s.length();
    int i = 0;
    while (i < n) {
      int skipTo = -1;
      if (s.startsWith("/*", i)) {
        int end = s.indexOf("*/", i + 2);
        skipTo = end < 0 ? n : end + 2;
      } else if (s.startsWith("<!--", i)) {
        int end = s.indexOf("-->", i + 4);
        skipTo = end < 0 ? n : end + 3;
      } else if (s.startsWith("--", i) || s.charAt(i) == '#') {
        skipTo = n;
      }
      if (skipTo >= 0) {
        if (b == null) {
          b = new StringBuilder(n).append(s, 0, i);
        }
        i = skipTo;
        continue;
      }
      if (b != null) {
        b.append(s.charAt(i));
      }
      i++;
    }
    return b == null ? s : b.toString();
  }
}
