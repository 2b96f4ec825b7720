package org.evident.log;

/**
 * Access log lines inside syslog lines, as a log server writes them to its files: nginx's
 * {@code access_log syslog:server=...}, Apache piped to {@code logger}, any of them forwarded
 * by rsyslog or syslog-ng. The header (RFC 3164's {@code <PRI>Mmm dd hh:mm:ss host tag[pid]: },
 * rsyslog's precise {@code 2013-02-10T10:00:00+00:00 host tag: }, or RFC 5424's
 * {@code <PRI>1 TIMESTAMP HOST APP PROCID MSGID SD }) is taken off and the message read in the
 * format inside; the time is the message's own, which carries its offset. A line without a
 * header is read as it is.
 */
final class SyslogFormat implements LogFormat {
  static final String PREFIX = "syslog+";

  private final LogFormat inner;

  SyslogFormat(LogFormat inner) {
    this.inner = inner;
  }

  @Override
  public String name() {
    return PREFIX + inner.name();
  }

  @Override
  public LineParser newParser() {
    return new Parser(inner.newParser());
  }

  @Override
  public LogFormat inZone(java.time.ZoneId zone) {
    return new SyslogFormat(inner.inZone(zone));
  }

  private record Parser(LineParser inner) implements LineParser {
    @Override
    public Request parse(String line) throws BadLineException {
      int start = messageStart(line);
      return inner.parse(start < 0 ? line : line.substring(start));
    }

    @Override
    public LineParser copy() {
      LineParser c = inner.copy();
      return c == inner ? this : new Parser(c);
    }

    @Override
    public String state() {
      return inner.state();
    }
  }

  /** Where the message of a syslog line starts, past its header; -1 when it has none. */
  static int messageStart(String s) {
    int n = s.length();
    int i = 0;
    if (n > 0 && s.charAt(0) == '<') {
      int gt = s.indexOf('>');
      if (gt < 2 || gt > 4 || !digits(s, 1, gt)) {
        return -1;
      }
      i = gt + 1;
      if (i + 1 < n && s.charAt(i) >= '1' && s.charAt(i) <= '9' && s.charAt(i + 1) == ' ') {
        return rfc5424(s, i + 2);
      }
    }
    int t = timestampEnd(s, i);
    if (t < 0 || t >= n || s.charAt(t) != ' ') {
      return -1;
    }
    int host = t + 1;
    while (host < n && s.charAt(host) == ' ') {
      host++;
    }
    int hostEnd = s.indexOf(' ', host);
    if (hostEnd <= host) {
      return -1;
    }
    int colon = s.indexOf(": ", hostEnd + 1);
    if (colon <= hostEnd + 1) {
      return -1;
    }
    for (int k = hostEnd + 1; k < colon; k++) {
      if (s.charAt(k) == ' ') {
        return -1; // a tag has no spaces: this is no syslog header
      }
    }
    return colon + 2;
  }

  /**
   * The end of RFC 3164's {@code Mmm dd hh:mm:ss} (the day padded with a space or a zero) or of
   * an ISO 8601 time stamp starting at {@code i}, or -1.
   */
  private static int timestampEnd(String s, int i) {
    int n = s.length();
    if (i + 15 <= n && Character.isLetter(s.charAt(i)) && s.charAt(i + 3) == ' '
        && s.charAt(i + 6) == ' ' && s.charAt(i + 9) == ':' && s.charAt(i + 12) == ':'
        && Character.isDigit(s.charAt(i + 5)) && digits(s, i + 7, i + 9)) {
      return i + 15;
    }
    if (i + 19 <= n && digits(s, i, i + 4) && s.charAt(i + 4) == '-' && s.charAt(i + 7) == '-'
        && s.charAt(i + 10) == 'T') {
      int end = s.indexOf(' ', i);
      return end < 0 ? -1 : end;
    }
    return -1;
  }

  /** Past RFC 5424's five header fields and its structured data, from {@code i}. */
  private static int rfc5424(String s, int i) {
    int n = s.length();
    for (int field = 0; field < 5; field++) {
      int sp = s.indexOf(' ', i);
      if (sp < 0) {
        return -1;
      }
      i = sp + 1;
    }
    if (i < n && s.charAt(i) == '-') {
      i++;
    } else {
      while (i < n && s.charAt(i) == '[') {
        i++;
        while (i < n && s.charAt(i) != ']') {
          i += s.charAt(i) == '\\' ? 2 : 1;
        }
        i++;
      }
    }
    if (i < n && s.charAt(i) == ' ') {
      i++;
    }
    if (i < n && s.charAt(i) == '\uFEFF') {
      i++;
    }
    return i <= n ? i : -1;
  }

  private static boolean digits(String s, int from, int to) {
    for (int k = from; k < to; k++) {
      if (s.charAt(k) < '0' || s.charAt(k) > '9') {
        return false;
      }
    }
    return from < to;
  }
}
