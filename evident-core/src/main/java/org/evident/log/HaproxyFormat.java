package org.evident.log;

import java.util.ArrayList;
import java.util.List;

/**
 * HAProxy's HTTP log ({@code option httplog}, and {@code httpslog}, which adds fields after the
 * request), with or without the syslog prefix a log file written by rsyslog carries:
 *
 * <pre>
 * haproxy[14389]: 10.0.1.2:33317 [06/Feb/2009:12:14:14.655] http-in static/srv1 10/0/30/69/109
 *   200 2750 - - ---- 1/1/1/1/0 0/0 {1wt.eu|Mozilla/5.0 (X11)} {} "GET /index.html HTTP/1.1"
 * </pre>
 *
 * The accept date has no offset: HAProxy writes its host's local time, read as UTC unless a
 * zone is given ({@link #inZone}). Captured request headers ({@code capture request header})
 * come without their names, in the order of the configuration: the first URL is taken as the
 * Referer, a list of addresses (or one after the Host) as the X-Forwarded-For, the first host
 * name as the Host, the first product and version ({@code Mozilla/5.0 ...}) as the User-Agent;
 * cookies and Accept lists are left. {@code haproxy:host,user-agent,-,x-forwarded-for} names
 * them instead, in the configuration's order ({@code -} or another header's name for one to
 * leave): exact where headers look alike (an agent that is one word, a Host that is an address).
 * HAProxy writes {@code "}, {@code #}, braces, {@code |} and
 * control characters as {@code #} and two hex digits; they are decoded, so that detection sees
 * what was sent.
 */
final class HaproxyFormat implements LogFormat, LineParser {

  static final String PREFIX = "haproxy:";

  private final java.time.ZoneId zone;
  /** The captured request headers' names in order, lower case; null to tell them by look. */
  private final List<String> captures;

  HaproxyFormat() {
    this(null, null);
  }

  private HaproxyFormat(java.time.ZoneId zone, List<String> captures) {
    this.zone = zone;
    this.captures = captures;
  }

  /**
   * The format whose captured request headers are {@code names}, comma-separated in the order of
   * the configuration's {@code capture request header} lines.
   *
   * @throws IllegalArgumentException naming what is wrong, for a user to act on
   */
  static HaproxyFormat capturing(String names) {
    List<String> list = new ArrayList<>();
    for (String n : names.split(",", -1)) {
      String h = n.strip().toLowerCase(java.util.Locale.ROOT);
      if (!h.equals("-") && !HeaderField.isName(h)) {
        throw new IllegalArgumentException("'" + n.strip() + "' in haproxy:" + names
            + " is not a header name; list the captured request headers in the order"
            + " HAProxy's configuration captures them, - for one to leave");
      }
      list.add(h);
    }
    return new HaproxyFormat(null, List.copyOf(list));
  }

  @Override
  public String name() {
    return (captures == null ? "haproxy" : PREFIX + String.join(",", captures))
        + (zone == null ? "" : "@" + zone);
  }

  @Override
  public LogFormat inZone(java.time.ZoneId z) {
    return new HaproxyFormat(z, captures);
  }

  @Override
  public LineParser newParser() {
    return this;
  }

  /** The fields after the accept date that every HTTP log line has. */
  private static final int FIXED = 10;

  @Override
  public Request parse(String line) throws BadLineException {
    int open = acceptDate(line);
    if (open < 0) {
      throw new BadLineException("unparseable");
    }
    int close = line.indexOf(']', open);
    int start = line.lastIndexOf(' ', open - 2) + 1;
    if (close < 0 || start >= open - 1) {
      throw new BadLineException("unparseable");
    }
    int port = line.lastIndexOf(':', open - 2);
    RequestFields out = new RequestFields(zone);
    out.set(Field.CLIENT_IP, line.substring(start, port > start ? port : open - 1), false);
    out.set(Field.TIME_CLF, line, open + 1, close, false);
    // read in place (a scan reads millions): the fields' bounds, then the few it keeps
    int[] from = new int[FIXED];
    int[] to = new int[FIXED];
    int i = close + 1;
    for (int f = 0; f < FIXED; f++) {
      while (i < line.length() && line.charAt(i) == ' ') {
        i++;
      }
      int end = line.indexOf(' ', i);
      if (i >= line.length() || end < 0) {
        throw new BadLineException("unparseable");
      }
      from[f] = i;
      to[f] = end;
      i = end;
    }
    // frontend, backend/server, timers, status, bytes, two cookies, state, conns, queues
    if (count(line, from[2], to[2], '/') != 4 || count(line, from[8], to[8], '/') != 4
        || count(line, from[9], to[9], '/') != 1) {
      throw new BadLineException("unparseable");
    }
    if (!line.startsWith("-1", from[3]) || to[3] - from[3] != 2) {
      out.set(Field.STATUS, line, from[3], to[3], false);
    }
    out.set(Field.BYTES, line, line.charAt(from[4]) == '+' ? from[4] + 1 : from[4], to[4], false);
    List<String> rest = tokens(line, i);
    int k = 0;
    if (k < rest.size() && rest.get(k).startsWith("{")) {
      String block = decoded(rest.get(k).substring(1, rest.get(k).length() - 1));
      if (captures == null) {
        headers(block, out);
      } else {
        named(block, out);
      }
      k++;
    }
    while (k < rest.size() && rest.get(k).startsWith("{")) {
      k++; // captured response headers
    }
    if (k >= rest.size() || !rest.get(k).startsWith("\"")) {
      throw new BadLineException("unparseable");
    }
    String request = decoded(rest.get(k).substring(1, rest.get(k).length() - 1));
    out.requestLine(request.equals("<BADREQ>") ? null : request);
    return out.toRequest();
  }

  /** Where the accept date's {@code [} is: the first followed by {@code dd/Mon/yyyy:}. */
  private static int acceptDate(String line) {
    for (int at = line.indexOf(" ["); at >= 0; at = line.indexOf(" [", at + 1)) {
      int d = at + 2;
      if (d + 12 <= line.length() && digit(line, d) && digit(line, d + 1)
          && line.charAt(d + 2) == '/' && line.charAt(d + 6) == '/' && digit(line, d + 7)
          && line.charAt(d + 11) == ':') {
        return at + 1;
      }
    }
    return -1;
  }

  private static boolean digit(String s, int i) {
    return s.charAt(i) >= '0' && s.charAt(i) <= '9';
  }

  private static int count(String s, int from, int to, char c) {
    int n = 0;
    for (int i = from; i < to; i++) {
      n += s.charAt(i) == c ? 1 : 0;
    }
    return n;
  }

  /**
   * The fields after the accept date: split on spaces, keeping a {@code {...}} capture block and
   * a quoted request whole (with their braces and quotes). A request cut short by HAProxy's
   * length limit has no closing quote: it runs to the end of the line.
   */
  private static List<String> tokens(String line, int from) {
    List<String> out = new ArrayList<>(16);
    int i = from;
    int n = line.length();
    while (i < n) {
      char c = line.charAt(i);
      if (c == ' ') {
        i++;
        continue;
      }
      int end;
      if (c == '{' || c == '"') {
        char closing = c == '{' ? '}' : '"';
        int at = line.indexOf(closing, i + 1);
        end = at < 0 ? n : at + 1;
        out.add(at < 0 ? line.substring(i) + closing : line.substring(i, end));
      } else {
        end = line.indexOf(' ', i);
        end = end < 0 ? n : end;
        out.add(line.substring(i, end));
      }
      i = end;
    }
    return out;
  }

  /** Assigns captured request headers by the names the format lists. */
  private void named(String block, RequestFields out) throws BadLineException {
    String[] values = block.split("\\|", -1);
    for (int i = 0; i < values.length && i < captures.size(); i++) {
      Field f = switch (captures.get(i)) {
        case "host" -> Field.HOST;
        case "user-agent" -> Field.USER_AGENT;
        case "referer" -> Field.REFERER;
        case "x-forwarded-for" -> Field.FORWARDED_FOR;
        default -> null;
      };
      if (f != null && !values[i].isEmpty()) {
        out.set(f, values[i], false);
      }
    }
  }

  /** Assigns captured request headers by their look (see the class comment). */
  private static void headers(String block, RequestFields out) throws BadLineException {
    for (String v : block.split("\\|", -1)) {
      if (v.isEmpty()) {
        continue;
      }
      boolean list = addresses(v) && v.indexOf(',') > 0;
      if (out.referer == null && (v.startsWith("http://") || v.startsWith("https://"))) {
        out.set(Field.REFERER, v, false);
      } else if (out.forwardedFor == null && (list || out.host != null && addresses(v))) {
        out.set(Field.FORWARDED_FOR, v, false);
      } else if (out.host == null && hostName(v)) {
        out.set(Field.HOST, v, false);
      } else if (out.userAgent == null && agent(v)) {
        out.set(Field.USER_AGENT, v, false);
      }
    }
  }

  /** Addresses and the commas and spaces of a list of them: an X-Forwarded-For. */
  private static boolean addresses(String v) {
    boolean digit = false;
    for (int i = 0; i < v.length(); i++) {
      char c = v.charAt(i);
      digit |= c >= '0' && c <= '9';
      if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F' || c == '.'
          || c == ':' || c == ',' || c == ' ')) {
        return false;
      }
    }
    return digit && (v.indexOf('.') > 0 || v.indexOf(':') >= 0);
  }

  /**
   * A product and version with a slash ({@code curl/8.0}, {@code Mozilla/5.0 (X11)}), not a
   * cookie ({@code a=b; c=d}), a URL, or a media type list as an Accept header holds
   * ({@code text/html,*}{@code /*;q=0.8}).
   */
  private static boolean agent(String v) {
    int slash = v.indexOf('/');
    if (slash <= 0 || v.startsWith("http://") || v.startsWith("https://")
        || v.indexOf('=') >= 0 && v.indexOf(';') >= 0) {
      return false;
    }
    boolean mediaType = slash + 1 < v.length()
        && (Character.isLowerCase(v.charAt(slash + 1)) || v.charAt(slash + 1) == '*');
    for (int i = 0; i < slash && mediaType; i++) {
      char c = v.charAt(i);
      mediaType = c >= 'a' && c <= 'z' || c == '*';
    }
    return !mediaType;
  }

  /** Letters, digits, dots and hyphens with a dot in them, and an optional port. */
  private static boolean hostName(String v) {
    int colon = v.lastIndexOf(':');
    String name = colon > 0 && colon < v.length() - 1
        && v.substring(colon + 1).chars().allMatch(c -> c >= '0' && c <= '9')
        ? v.substring(0, colon) : v;
    if (name.isEmpty() || name.indexOf('.') <= 0 || name.endsWith(".")) {
      return false;
    }
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '.'
          || c == '-')) {
        return false;
      }
    }
    return true;
  }

  /** HAProxy's {@code #XX} escapes as the characters they stand for. */
  static String decoded(String s) {
    if (s.indexOf('#') < 0) {
      return s;
    }
    StringBuilder b = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      int hi = c == '#' && i + 2 < s.length() ? RequestFields.hex(s.charAt(i + 1)) : -1;
      int lo = hi >= 0 ? RequestFields.hex(s.charAt(i + 2)) : -1;
      if (lo >= 0) {
        b.append((char) (hi * 16 + lo));
        i += 2;
      } else {
        b.append(c);
      }
    }
    return b.toString();
  }
}
