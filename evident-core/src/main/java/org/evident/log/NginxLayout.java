package org.evident.log;

/** Compiles an nginx {@code log_format} string into a {@link Template}. */
final class NginxLayout {
  private NginxLayout() {}

  static Template compile(String format) {
    Template.Builder b = new Template.Builder(format);
    int n = format.length();
    for (int i = 0; i < n; i++) {
      char c = format.charAt(i);
      if (c != '$') {
        b.literal(c);
        continue;
      }
      int start = i + 1;
      int end;
      String name;
      if (start < n && format.charAt(start) == '{') {
        end = format.indexOf('}', start);
        if (end < 0) {
          throw new IllegalArgumentException("unclosed '${' in the format");
        }
        name = format.substring(start + 1, end);
        i = end;
      } else {
        end = start;
        while (end < n && (Character.isLetterOrDigit(format.charAt(end))
            || format.charAt(end) == '_')) {
          end++;
        }
        name = format.substring(start, end);
        i = end - 1;
      }
      if (name.isEmpty()) {
        b.literal('$');
        continue;
      }
      if (name.startsWith("cookie_") && name.length() > 7) { // $cookie_sid: one cookie's value
        b.cookie(name.substring("cookie_".length()));
        continue;
      }
      Field f = field(name);
      if (f == Field.HEADER) {
        b.header(name.substring("http_".length()).replace('_', '-'));
      } else {
        b.field(f);
      }
    }
    return b.build();
  }

  private static Field field(String name) {
    return switch (name) {
      case "remote_addr", "realip_remote_addr", "binary_remote_addr" -> Field.CLIENT_IP;
      case "host", "server_name" -> Field.HOST; // $host: the Host header, else the server's
      case "http_host" -> Field.HOST_HEADER;
      case "time_local" -> Field.TIME_CLF;
      case "time_iso8601" -> Field.TIME_ISO;
      case "msec" -> Field.TIME_EPOCH_SECONDS;
      case "request" -> Field.REQUEST_LINE;
      case "request_method" -> Field.METHOD;
      case "request_uri" -> Field.URI;
      case "uri", "document_uri" -> Field.PATH;
      case "args", "query_string" -> Field.QUERY;
      case "server_protocol" -> Field.PROTOCOL;
      case "status" -> Field.STATUS;
      case "body_bytes_sent", "bytes_sent" -> Field.BYTES;
      case "http_referer" -> Field.REFERER;
      case "http_user_agent" -> Field.USER_AGENT;
      case "http_x_forwarded_for", "proxy_add_x_forwarded_for" -> Field.FORWARDED_FOR;
      // $http_accept_language: the header Accept-Language, as nginx names any request header
      default -> name.startsWith("http_") && name.length() > 5 ? Field.HEADER : Field.IGNORED;
    };
  }
}
