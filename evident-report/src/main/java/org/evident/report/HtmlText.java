package org.evident.report;

/** Escapes text for HTML element content and quoted attribute values. */
public final class HtmlText {
  private HtmlText() {}

  public static String escape(String s) {
    if (s == null) {
      return "";
    }
    StringBuilder b = new StringBuilder(s.length() + 16);
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '<' -> b.append("&lt;");
        case '>' -> b.append("&gt;");
        case '&' -> b.append("&amp;");
        case '"' -> b.append("&quot;");
        case '\'' -> b.append("&#39;");
        default -> {
          if (c < 0x20 && c != '\t' && c != '\n') {
            b.append("&#xfffd;");
          } else {
            b.append(c);
          }
        }
      }
    }
    return b.toString();
  }
}
