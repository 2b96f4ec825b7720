package org.evident.log;

import java.util.Locale;

/** Compiles an Apache httpd {@code LogFormat} string (mod_log_config) into a {@link Template}. */
final class ApacheLayout {
  private ApacheLayout() {}

  static Template compile(String format) {
    Template.Builder b = new Template.Builder(format);
    int n = format.length();
    for (int i = 0; i < n; i++) {
      char c = format.charAt(i);
      if (c == '\\' && i + 1 < n) {
        char d = format.charAt(++i);
        b.literal(d == 't' ? '\t' : d == 'n' ? '\n' : d);
        continue;
      }
      if (c != '%') {
        b.literal(c);
        continue;
      }
      if (++i >= n) {
        throw new IllegalArgumentException("the format ends with a lone '%'");
      }
      // modifiers: status conditions (%400,501{User-agent}i, %!200{Referer}i) and < >
      while (i < n && "!,<>0123456789".indexOf(format.charAt(i)) >= 0) {
        i++;
      }
      String arg = null;
      if (i < n && format.charAt(i) == '{') {
        int close = format.indexOf('}', i);
        if (close < 0) {
          throw new IllegalArgumentException("unclosed '{' in the format");
        }
        arg = format.substring(i + 1, close);
        i = close + 1;
      }
      if (i >= n) {
        throw new IllegalArgumentException("the format ends inside a % directive");
      }
      char d = format.charAt(i);
      if (d == '%') {
        b.literal('%');
        continue;
      }
      if (d == 'C' && arg != null) { // %{sid}C: the value of one cookie
        b.cookie(arg);
        continue;
      }
      Field f = field(d, arg);
      if (f == Field.HEADER) {
        b.header(arg);
      } else {
        b.field(f);
      }
    }
    return b.build();
  }

  private static Field field(char d, String arg) {
    switch (d) {
      case 'h': case 'a':
        return Field.CLIENT_IP;
      case 'v': case 'V':
        return Field.HOST;
      case 't':
        if (arg == null) {
          return Field.TIME_CLF;
        }
        return switch (arg) {
          case "sec" -> Field.TIME_EPOCH_SECONDS;
          case "msec" -> Field.TIME_EPOCH_MILLIS;
          case "usec" -> Field.TIME_EPOCH_MICROS;
          case "%Y-%m-%dT%H:%M:%S%z", "%FT%T%z" -> Field.TIME_ISO;
          default -> throw new IllegalArgumentException(
              "time layout %{" + arg + "}t is not supported; use %t, %{sec}t, %{msec}t or"
                  + " %{%Y-%m-%dT%H:%M:%S%z}t");
        };
      case 'r':
        return Field.REQUEST_LINE;
      case 'm':
        return Field.METHOD;
      case 'U':
        return Field.PATH;
      case 'q':
        return Field.QUERY;
      case 'H':
        return Field.PROTOCOL;
      case 's':
        return Field.STATUS;
      case 'b': case 'B': case 'O':
        return Field.BYTES;
      case 'i':
        if (arg == null) {
          throw new IllegalArgumentException("%i needs a header name, e.g. %{User-Agent}i");
        }
        return switch (arg.toLowerCase(Locale.ROOT)) {
          case "referer", "referrer" -> Field.REFERER;
          case "user-agent" -> Field.USER_AGENT;
          case "x-forwarded-for" -> Field.FORWARDED_FOR;
          case "host" -> Field.HOST_HEADER;
          default -> Field.HEADER;
        };
      default:
        if ("lunDTpPRfkLXIScCeonMxL".indexOf(d) >= 0 || "^".indexOf(d) >= 0) {
          return Field.IGNORED;
        }
        throw new IllegalArgumentException("unknown LogFormat directive %" + d);
    }
  }
}
