package org.evident.log;

/**
 * Mutable holder filled field by field while one line is parsed, then frozen into a
 * {@link Request}. Applies the conventions shared by all formats: {@code -} means absent, a
 * request line splits into method, target and protocol, and a time is required.
 */
final class RequestFields {
  long time = Long.MIN_VALUE;
  String clientIp;
  String host;
  String method;
  String target;
  String path;
  String query;
  String protocol;
  int status = -1;
  long bytes = -1;
  String referer;
  String userAgent;
  String forwardedFor;
  /** The headers the line's format holds (see {@link Request#headers()}). */
  java.util.Set<Header> held = java.util.Set.of();
  /** The other headers the line holds (see {@link Request#otherHeaders()}), or null: none. */
  private java.util.List<HeaderField> others;
  /** Whether the target came as an absolute URL, to be made origin-form. */
  boolean absolute;
  /** Where a time written without an offset was read, or null: UTC. */
  private final java.time.ZoneId zone;

  RequestFields() {
    this(null);
  }

  RequestFields(java.time.ZoneId zone) {
    this.zone = zone;
  }

  void set(Field field, String raw, boolean quoted) throws BadLineException {
    String v = absent(raw) && !sentEmpty(field, raw, quoted) ? null
        : (quoted ? unescape(raw) : raw);
    switch (field) {
      case CLIENT_IP -> clientIp = v;
      case HOST, HOST_HEADER -> host = v;
      case TIME_CLF -> time = local(Timestamps.clf(strip(raw)), raw, 0, raw.length(), 20);
      case TIME_ISO -> time = local(Timestamps.iso(v), v, 0, v == null ? 0 : v.length(), 11);
      case TIME_EPOCH_SECONDS -> time = Timestamps.epoch(raw, 1);
      case TIME_EPOCH_MILLIS -> time = Timestamps.epoch(raw, 1000);
      case TIME_EPOCH_MICROS -> time = Timestamps.epoch(raw, 1_000_000);
      case TIME_EPOCH_NANOS -> time = Timestamps.epoch(raw, 1_000_000_000);
      case REQUEST_LINE -> requestLine(v);
      case METHOD -> method = v;
      case URI -> target = v;
      case URL -> {
        target = v;
        absolute = true;
      }
      case PATH -> path = v;
      case QUERY -> query = v == null ? null : (v.startsWith("?") ? v.substring(1) : v);
      case PROTOCOL -> protocol = v;
      case STATUS -> status = number(raw, "bad-status");
      case BYTES -> bytes = v == null ? 0 : number(raw, "bad-bytes");
      case REFERER -> referer = v;
      case USER_AGENT -> userAgent = v;
      case FORWARDED_FOR -> forwardedFor = v;
      case IGNORED -> { }
      default -> throw new IllegalStateException(field.name()); // HEADER: see header()
    }
  }

  /**
   * The same as {@link #set(Field, String, boolean)} for the text {@code line[from, to)}, without
   * copying it where that can be avoided: numbers, the time stamp and the request line are read
   * in place, and common methods and protocols are shared constants. A template format calls
   * this for every field of every line.
   */
  void set(Field field, String line, int from, int to, boolean quoted) throws BadLineException {
    boolean dash = to - from == 1 && line.charAt(from) == '-';
    switch (field) {
      case STATUS -> status = number(line, from, to, "bad-status");
      case BYTES -> bytes = to == from || dash ? 0 : number(line, from, to, "bad-bytes");
      case TIME_CLF -> {
        boolean bracketed = to - from > 1 && line.charAt(from) == '[';
        time = local(Timestamps.clf(line, bracketed ? from + 1 : from, bracketed ? to - 1 : to),
            line, from, to, 20);
      }
      case REQUEST_LINE -> {
        if (to == from || dash) {
          return;
        }
        int slash = line.indexOf('\\', from);
        if (quoted && slash >= 0 && slash < to) {
          requestLine(unescape(line.substring(from, to)));
        } else {
          requestLine(line, from, to);
        }
      }
      default -> set(field, line.substring(from, to), quoted);
    }
  }

  /**
   * Request header {@code name} (lower case) as the line holds it: {@code -} for one not sent,
   * and a quoted {@code ""} for one sent empty, as for the User-Agent.
   */
  void header(String name, String raw, boolean quoted) {
    String v = raw.isEmpty() && quoted ? "" : absent(raw) ? null : quoted ? unescape(raw) : raw;
    if (name.startsWith(Template.COOKIE)) {
      cookie(name.substring(Template.COOKIE.length()), v);
      return;
    }
    if (others == null) {
      others = new java.util.ArrayList<>(4);
    }
    others.add(new HeaderField(name, v));
  }

  /** The cookies a format logs one by one, as a Cookie header would send them, or null. */
  private StringBuilder cookies;

  /**
   * One cookie's value, logged by name (Apache's {@code %{sid}C}, nginx's {@code $cookie_sid}):
   * kept as the pair the Cookie header held, so that the request's cookies are read as a
   * logged Cookie header's are. One not sent ({@code -}, or empty) is left out.
   */
  private void cookie(String name, String value) {
    if (value == null || value.isEmpty()) {
      return;
    }
    if (cookies == null) {
      cookies = new StringBuilder();
    } else {
      cookies.append("; ");
    }
    cookies.append(name).append('=').append(value);
  }

  private static final String[] COMMON = {"GET", "POST", "HEAD", "PUT", "DELETE", "OPTIONS",
      "PATCH", "HTTP/1.1", "HTTP/1.0", "HTTP/2.0", "HTTP/2"};

  /** {@code line[from, to)}, as a shared constant when it is a common method or protocol. */
  private static String common(String line, int from, int to) {
    int n = to - from;
    for (String c : COMMON) {
      if (c.length() == n && line.startsWith(c, from)) {
        return c;
      }
    }
    return line.substring(from, to);
  }

  void requestLine(String v) {
    if (v != null) {
      requestLine(v, 0, v.length());
    }
  }

  /** Splits the request line {@code line[from, to)} into method, target and protocol. */
  private void requestLine(String line, int from, int to) {
    int a = line.indexOf(' ', from);
    if (a >= to) {
      a = -1;
    }
    int b = a < 0 ? -1 : line.lastIndexOf(' ', to - 1);
    if (a > from && b > a && line.startsWith("HTTP/", b + 1)) {
      method = common(line, from, a);
      target = line.substring(a + 1, b);
      protocol = common(line, b + 1, to);
    } else if (a > from && b == a) {
      // a request line without a version is HTTP/0.9's (a probe's, today), as a server and
      // ModSecurity read it: CRS 920430 flags the version
      method = common(line, from, a);
      target = line.substring(a + 1, to);
      protocol = "HTTP/0.9";
    } else {
      // garbage a client sent instead of a request line: still a request, still judged
      target = line.substring(from, to);
    }
  }

  Request toRequest() throws BadLineException {
    if (time == Long.MIN_VALUE) {
      throw new BadLineException("missing-time");
    }
    if (clientIp == null) {
      throw new BadLineException("missing-client");
    }
    if (absolute) {
      originForm();
    }
    String t = target;
    if (t == null && path != null) {
      t = query == null || query.isEmpty() ? path : path + "?" + query;
    } else if (t != null && query != null && !query.isEmpty() && t.indexOf('?') < 0) {
      t = t + "?" + query; // a target logged without its query, the query beside it (Azure)
    }
    if (cookies != null && (others == null
        || others.stream().noneMatch(h -> h.name().equals("cookie")))) {
      // cookies logged one by one, where the whole header is not: the part of it they are
      if (others == null) {
        others = new java.util.ArrayList<>(1);
      }
      others.add(new HeaderField("cookie", cookies.toString()));
    }
    return new Request(time, clientIp, host, method, t, protocol, status, bytes, referer, userAgent,
        forwardedFor, held, others == null ? java.util.List.of() : others);
  }

  /**
   * Makes an absolute URL target ({@code https://alb.example:443/a?b=c}, as load balancers and
   * CDNs log it) origin-form ({@code /a?b=c}), which detection expects, and takes the host from
   * it when the log named none.
   */
  void originForm() {
    int scheme = target == null ? -1 : target.indexOf("://");
    if (scheme > 0 && scheme < 6) {
      int slash = target.indexOf('/', scheme + 3);
      int query = target.indexOf('?', scheme + 3);
      int end = slash < 0 ? query : query < 0 ? slash : Math.min(slash, query);
      String authority = target.substring(scheme + 3, end < 0 ? target.length() : end);
      if (host == null) {
        int port = authority.lastIndexOf(':');
        host = port > 0 && authority.indexOf(']', port) < 0 ? authority.substring(0, port)
            : authority;
      }
      target = end < 0 ? "/" : target.charAt(end) == '?' ? "/" + target.substring(end)
          : target.substring(end);
    }
  }

  /**
   * {@code %XX} escapes decoded as UTF-8, everything else as it is ({@code +} too: Googlebot's
   * agent holds {@code +http://}), as CloudFront and Akamai encode their User-Agent fields.
   */
  static String percentDecoded(String s) {
    if (s.indexOf('%') < 0) {
      return s;
    }
    java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream(s.length());
    int start = 0; // of the text not yet written
    for (int i = 0; i + 2 < s.length(); i++) {
      int hi = s.charAt(i) == '%' ? hex(s.charAt(i + 1)) : -1;
      int lo = hi >= 0 ? hex(s.charAt(i + 2)) : -1;
      if (lo >= 0) {
        b.writeBytes(s.substring(start, i).getBytes(java.nio.charset.StandardCharsets.UTF_8));
        b.write(hi * 16 + lo);
        start = i + 3;
        i += 2;
      }
    }
    b.writeBytes(s.substring(start).getBytes(java.nio.charset.StandardCharsets.UTF_8));
    return b.toString(java.nio.charset.StandardCharsets.UTF_8);
  }

  /**
   * A time read as UTC, moved to the zone's when its text {@code s[from, to)} holds no offset
   * past its first {@code skip} characters (where a date's own dashes are) and ends in no
   * {@code Z}.
   */
  private long local(long utc, String s, int from, int to, int skip) {
    if (zone == null || s == null) {
      return utc;
    }
    for (int i = from + skip; i < to; i++) {
      char c = s.charAt(i);
      if (c == '+' || c == '-' || c == 'Z' || c == 'z') {
        return utc;
      }
    }
    java.time.LocalDateTime at = java.time.LocalDateTime.ofEpochSecond(
        Math.floorDiv(utc, 1000), 0, java.time.ZoneOffset.UTC);
    return utc - zone.getRules().getOffset(at).getTotalSeconds() * 1000L;
  }

  /**
   * Whether a quoted empty field is a header the client sent empty: Apache and nginx write
   * {@code -} for a header not sent and {@code ""} for one sent empty (Apache logs what it has
   * unless it has nothing; nginx the same, unless the log escapes as JSON). CRS tells the two
   * apart (920330: an empty User-Agent; 920320: none; 920290 and 920280 for the Host).
   */
  private static boolean sentEmpty(Field field, String raw, boolean quoted) {
    return quoted && raw.isEmpty() && (field == Field.USER_AGENT || field == Field.REFERER
        || field == Field.HOST_HEADER);
  }

  static boolean absent(String raw) {
    return raw.isEmpty() || (raw.length() == 1 && raw.charAt(0) == '-');
  }

  private static String strip(String raw) {
    return raw.length() > 1 && raw.charAt(0) == '[' ? raw.substring(1, raw.length() - 1) : raw;
  }

  private static int number(String raw, String reason) throws BadLineException {
    return number(raw, 0, raw.length(), reason);
  }

  private static int number(String raw, int from, int to, String reason)
      throws BadLineException {
    int v = 0;
    int n = to - from;
    if (n == 0 || n > 18) {
      throw new BadLineException(reason);
    }
    for (int i = from; i < to; i++) {
      char c = raw.charAt(i);
      if (c < '0' || c > '9') {
        throw new BadLineException(reason);
      }
      v = v * 10 + (c - '0');
      if (v < 0) {
        throw new BadLineException(reason);
      }
    }
    return v;
  }

  /**
   * Undoes the escaping Apache and nginx apply inside quoted fields ({@code \"}, {@code \\},
   * {@code \xHH}), so detection sees the bytes the client sent: an escaped byte is one
   * character, as ModSecurity reads a request's bytes (CRS's patterns match UTF-8 byte by byte).
   */
  static String unescape(String s) {
    if (s.indexOf('\\') < 0) {
      return s;
    }
    StringBuilder b = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\\' && i + 1 < s.length()) {
        char d = s.charAt(i + 1);
        if (d == 'x' && i + 3 < s.length() && hex(s.charAt(i + 2)) >= 0
            && hex(s.charAt(i + 3)) >= 0) {
          b.append((char) (hex(s.charAt(i + 2)) * 16 + hex(s.charAt(i + 3))));
          i += 3;
          continue;
        }
        if (d == '"' || d == '\\') {
          b.append(d);
          i++;
          continue;
        }
        if (d == 'n') {
          b.append('\n');
          i++;
          continue;
        }
        if (d == 't') {
          b.append('\t');
          i++;
          continue;
        }
      }
      b.append(c);
    }
    return b.toString();
  }

  static int hex(char c) {
    if (c >= '0' && c <= '9') {
      return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
      return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'F') {
      return c - 'A' + 10;
    }
    return -1;
  }
}
