package org.evident.log;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The log formats Evident reads, by name, and detection of the format of a sample. Built-in
 * names: {@code combined}, {@code common}, {@code vhost_combined}, {@code nginx} (nginx's default
 * {@code combined}), {@code json}, {@code alb}, {@code w3c}, {@code haproxy}; user layouts as
 * {@code apache:LOGFORMAT} or {@code nginx:LOG_FORMAT}; HAProxy's with its captured headers
 * named, {@code haproxy:host,user-agent}; W3C logs without a {@code #Fields:} line as
 * {@code w3c:timestamp,c-ip,...}; any of them inside syslog lines as
 * {@code syslog+NAME}.
 */
public final class LogFormats {
  private LogFormats() {}

  public static final String COMBINED =
      "%h %l %u %t \"%r\" %>s %b \"%{Referer}i\" \"%{User-agent}i\"";
  public static final String COMMON = "%h %l %u %t \"%r\" %>s %b";
  public static final String VHOST_COMBINED =
      "%v:%p %h %l %u %t \"%r\" %>s %O \"%{Referer}i\" \"%{User-Agent}i\"";

  /** Candidates for detection, most specific first so that ties go to the richer format. */
  private static final Map<String, LogFormat> BUILT_IN = new LinkedHashMap<>();

  static {
    BUILT_IN.put("vhost_combined", apache("vhost_combined", VHOST_COMBINED));
    BUILT_IN.put("combined", apache("combined", COMBINED));
    BUILT_IN.put("common", apache("common", COMMON));
    BUILT_IN.put("json", new JsonLinesFormat());
    BUILT_IN.put("alb", new AlbFormat());
    BUILT_IN.put("w3c", new W3cFormat());
    BUILT_IN.put("haproxy", new HaproxyFormat());
  }

  /**
   * Where a raw line's text starts: past a UTF-8 byte order mark (EF BB BF), which Windows tools
   * and IIS write at the top of a file and {@code cat} carries to the middle of one. The mark is
   * not text: read as text, it made a first client address "\uFEFF192.0.2.1", one more source in
   * every count, and a W3C log's first directive unreadable. The line's bytes, hashed and stored,
   * keep it.
   */
  public static int textStart(byte[] data, int start, int len) {
    return len >= 3 && data[start] == (byte) 0xEF && data[start + 1] == (byte) 0xBB
        && data[start + 2] == (byte) 0xBF ? start + 3 : start;
  }

  /** The names {@link #byName} accepts besides the {@code apache:} and {@code nginx:} forms. */
  public static List<String> names() {
    List<String> names = new java.util.ArrayList<>(BUILT_IN.keySet());
    names.add("nginx");
    return names;
  }

  /**
   * The format with this name or layout.
   *
   * @throws IllegalArgumentException with a sentence a user can act on
   */
  public static LogFormat byName(String spec) {
    int at = spec.lastIndexOf('@');
    if (at > 0) { // NAME@ZONE, unless the @ is a user layout's own
      java.time.ZoneId zone = null;
      try {
        zone = zone(spec.substring(at + 1));
      } catch (IllegalArgumentException e) {
        if (!spec.substring(0, at).contains(":")) {
          throw e;
        }
      }
      if (zone != null) {
        return byName(spec.substring(0, at)).inZone(zone);
      }
    }
    if (spec.startsWith(SyslogFormat.PREFIX)) {
      return new SyslogFormat(byName(spec.substring(SyslogFormat.PREFIX.length())));
    }
    if (spec.startsWith("apache:")) {
      return apache("apache", spec.substring(7));
    }
    if (spec.startsWith(W3cFormat.PREFIX)) {
      return W3cFormat.columns(spec.substring(W3cFormat.PREFIX.length()));
    }
    if (spec.startsWith(HaproxyFormat.PREFIX)) {
      return HaproxyFormat.capturing(spec.substring(HaproxyFormat.PREFIX.length()));
    }
    if (spec.startsWith("nginx:")) {
      return new TemplateFormat("nginx", NginxLayout.compile(spec.substring(6)));
    }
    if (spec.equals("nginx")) {
      return new TemplateFormat("nginx", BUILT_IN_COMBINED_TEMPLATE);
    }
    LogFormat f = BUILT_IN.get(spec);
    if (f == null) {
      throw new IllegalArgumentException("unknown log format '" + spec + "'; known: "
          + String.join(", ", names()) + ", apache:LOGFORMAT, nginx:LOG_FORMAT,"
          + " haproxy:CAPTURED,HEADERS, w3c:FIELDS, and any of them inside syslog lines as"
          + " syslog+NAME");
    }
    return f;
  }

  /**
   * A time zone as a user names one: a region ({@code Europe/Paris}) or an offset
   * ({@code +01:00}, {@code UTC}).
   *
   * @throws IllegalArgumentException with a sentence a user can act on
   */
  public static java.time.ZoneId zone(String name) {
    try {
      return java.time.ZoneId.of(name);
    } catch (java.time.DateTimeException e) {
      throw new IllegalArgumentException("unknown time zone '" + name + "'; give a region such"
          + " as Europe/Paris or an offset such as +01:00");
    }
  }

  private static final Template BUILT_IN_COMBINED_TEMPLATE = ApacheLayout.compile(COMBINED);

  private static LogFormat apache(String name, String layout) {
    return new TemplateFormat(name, ApacheLayout.compile(layout));
  }

  /** What detection chose, and how well it fitted the sample. */
  public record Detection(LogFormat format, int parsed, int sampled) {}

  /**
   * Picks the built-in format that parses most lines of the sample.
   *
   * @return the best format, or {@code null} when none parses a single line
   */
  public static Detection detect(List<String> sample) {
    Detection best = null;
    int sampled = 0;
    for (String s : sample) {
      if (!s.isBlank()) {
        sampled++;
      }
    }
    List<LogFormat> candidates = new java.util.ArrayList<>(BUILT_IN.values());
    if (sample.stream().anyMatch(l -> SyslogFormat.messageStart(l) > 0)) {
      // access lines inside syslog lines: after the plain formats, which win a tie
      for (LogFormat f : BUILT_IN.values()) {
        if (!(f instanceof HaproxyFormat)) { // it reads its own syslog header
          candidates.add(new SyslogFormat(f));
        }
      }
    }
    for (LogFormat f : candidates) {
      LineParser p = f.newParser();
      int ok = 0;
      for (String line : sample) {
        try {
          if (line.isBlank()) {
            continue;
          }
          Request r = p.parse(line);
          if (r != null || line.startsWith("#")) {
            ok++;
          }
        } catch (BadLineException e) {
          // counted by not counting
        }
      }
      if (ok > 0 && (best == null || ok > best.parsed())) {
        best = new Detection(f, ok, sampled);
      }
    }
    return best;
  }
}
