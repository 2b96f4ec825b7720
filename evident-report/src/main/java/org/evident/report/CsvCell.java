package org.evident.report;

/**
 * One CSV field (RFC 4180), safe to open in a spreadsheet: text that a spreadsheet would run as
 * a formula (starting with = + - @, tab or carriage return) is prefixed with an apostrophe, as
 * OWASP recommends against CSV injection. Control characters are made visible as in
 * {@link TerminalText}, since CSV often ends up on a terminal.
 */
public final class CsvCell {
  private CsvCell() {}

  public static String of(String s) {
    if (s == null) {
      return "";
    }
    String v = TerminalText.safe(s);
    if (!v.isEmpty() && "=+-@\t\r".indexOf(v.charAt(0)) >= 0 && !isNumber(v)) {
      v = "'" + v;
    }
    if (v.indexOf(',') >= 0 || v.indexOf('"') >= 0 || v.indexOf('\n') >= 0
        || v.indexOf('\r') >= 0) {
      v = "\"" + v.replace("\"", "\"\"") + "\"";
    }
    return v;
  }

  public static String of(long n) {
    return Long.toString(n);
  }

  private static boolean isNumber(String v) {
    try {
      Double.parseDouble(v);
      return true;
    } catch (NumberFormatException e) {
      return false;
    }
  }
}
