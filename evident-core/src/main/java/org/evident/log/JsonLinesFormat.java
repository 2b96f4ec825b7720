package org.evident.log;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Map;

/**
 * One JSON object per line. Knows the field names of nginx JSON layouts (the {@code $variable}
 * names), of Elastic Common Schema ({@code source.ip}, {@code url.original}, ...), of Caddy,
 * Traefik, Google Cloud's and Azure's load balancers, Cloudflare, Akamai and AWS WAF, and a few
 * common spellings; nested objects are flattened to dotted names first.
 */
final class JsonLinesFormat implements LogFormat, LineParser {
  private static final JsonFactory JSON = new JsonFactory();

  private static final Map<String, Field> NAMES = Map.ofEntries(
      Map.entry("remote_addr", Field.CLIENT_IP), Map.entry("client_ip", Field.CLIENT_IP),
      Map.entry("clientip", Field.CLIENT_IP), Map.entry("source.ip", Field.CLIENT_IP),
      Map.entry("client.ip", Field.CLIENT_IP), Map.entry("client.address", Field.CLIENT_IP),
      Map.entry("source.address", Field.CLIENT_IP), Map.entry("ip", Field.CLIENT_IP),
      Map.entry("time_iso8601", Field.TIME_ISO), Map.entry("@timestamp", Field.TIME_ISO),
      Map.entry("timestamp", Field.TIME_ISO), Map.entry("time", Field.TIME_ISO),
      Map.entry("time_local", Field.TIME_CLF), Map.entry("msec", Field.TIME_EPOCH_SECONDS),
      Map.entry("request", Field.REQUEST_LINE),
      Map.entry("request_method", Field.METHOD), Map.entry("http.request.method", Field.METHOD),
      Map.entry("method", Field.METHOD),
      Map.entry("request_uri", Field.URI), Map.entry("url.original", Field.URI),
      Map.entry("uri", Field.PATH), Map.entry("url.path", Field.PATH), Map.entry("path", Field.PATH),
      Map.entry("args", Field.QUERY), Map.entry("query_string", Field.QUERY),
      Map.entry("url.query", Field.QUERY),
      Map.entry("server_protocol", Field.PROTOCOL), Map.entry("protocol", Field.PROTOCOL),
      Map.entry("http.version", Field.PROTOCOL),
      Map.entry("status", Field.STATUS), Map.entry("http.response.status_code", Field.STATUS),
      Map.entry("status_code", Field.STATUS),
      Map.entry("body_bytes_sent", Field.BYTES), Map.entry("bytes_sent", Field.BYTES),
      Map.entry("http.response.body.bytes", Field.BYTES), Map.entry("bytes", Field.BYTES),
      Map.entry("http_referer", Field.REFERER), Map.entry("http.request.referrer", Field.REFERER),
      Map.entry("referer", Field.REFERER), Map.entry("referrer", Field.REFERER),
      Map.entry("http_user_agent", Field.USER_AGENT),
      Map.entry("user_agent.original", Field.USER_AGENT),
      Map.entry("user_agent", Field.USER_AGENT), Map.entry("useragent", Field.USER_AGENT),
      Map.entry("http_x_forwarded_for", Field.FORWARDED_FOR),
      Map.entry("x_forwarded_for", Field.FORWARDED_FOR),
      Map.entry("host", Field.HOST), Map.entry("http_host", Field.HOST),
      Map.entry("server_name", Field.HOST), Map.entry("url.domain", Field.HOST),
      Map.entry("vhost", Field.HOST),
      // Caddy 2 (its "ts" is a number; headers are lists of values)
      Map.entry("ts", Field.TIME_ISO), Map.entry("request.remote_ip", Field.CLIENT_IP),
      Map.entry("request.client_ip", Field.CLIENT_IP), Map.entry("request.method", Field.METHOD),
      Map.entry("request.host", Field.HOST), Map.entry("request.uri", Field.URI),
      Map.entry("request.proto", Field.PROTOCOL), Map.entry("size", Field.BYTES),
      Map.entry("request.headers.User-Agent", Field.USER_AGENT),
      Map.entry("request.headers.Referer", Field.REFERER),
      Map.entry("request.headers.X-Forwarded-For", Field.FORWARDED_FOR),
      // Traefik (its request headers, when kept, as "request_" and the header's name)
      Map.entry("ClientHost", Field.CLIENT_IP), Map.entry("StartUTC", Field.TIME_ISO),
      Map.entry("RequestMethod", Field.METHOD), Map.entry("RequestPath", Field.URI),
      Map.entry("RequestProtocol", Field.PROTOCOL), Map.entry("RequestHost", Field.HOST),
      Map.entry("DownstreamStatus", Field.STATUS),
      Map.entry("DownstreamContentSize", Field.BYTES),
      Map.entry("request_User-Agent", Field.USER_AGENT),
      Map.entry("request_Referer", Field.REFERER),
      Map.entry("request_X-Forwarded-For", Field.FORWARDED_FOR),
      // Google Cloud's load balancers (a LogEntry's httpRequest; its URL is absolute)
      Map.entry("httpRequest.remoteIp", Field.CLIENT_IP),
      Map.entry("httpRequest.requestMethod", Field.METHOD),
      Map.entry("httpRequest.requestUrl", Field.URL),
      Map.entry("httpRequest.protocol", Field.PROTOCOL),
      Map.entry("httpRequest.status", Field.STATUS),
      Map.entry("httpRequest.responseSize", Field.BYTES),
      Map.entry("httpRequest.userAgent", Field.USER_AGENT),
      Map.entry("httpRequest.referer", Field.REFERER),
      // Azure Front Door (an absolute requestUri) and Application Gateway (a path and its query)
      Map.entry("properties.clientIp", Field.CLIENT_IP),
      Map.entry("properties.clientIP", Field.CLIENT_IP),
      Map.entry("properties.httpMethod", Field.METHOD),
      Map.entry("properties.requestUri", Field.URL),
      Map.entry("properties.requestQuery", Field.QUERY),
      Map.entry("properties.httpVersion", Field.PROTOCOL),
      Map.entry("properties.httpStatusCode", Field.STATUS),
      Map.entry("properties.httpStatus", Field.STATUS),
      Map.entry("properties.responseBytes", Field.BYTES),
      Map.entry("properties.sentBytes", Field.BYTES),
      Map.entry("properties.userAgent", Field.USER_AGENT),
      Map.entry("properties.referer", Field.REFERER),
      Map.entry("properties.referrer", Field.REFERER),
      Map.entry("properties.hostName", Field.HOST), Map.entry("properties.host", Field.HOST),
      // Cloudflare's Logpush (its time stamps RFC 3339, or numbers down to nanoseconds)
      Map.entry("ClientIP", Field.CLIENT_IP), Map.entry("EdgeStartTimestamp", Field.TIME_ISO),
      Map.entry("ClientRequestMethod", Field.METHOD),
      Map.entry("ClientRequestURI", Field.URI), Map.entry("ClientRequestHost", Field.HOST),
      Map.entry("ClientRequestProtocol", Field.PROTOCOL),
      Map.entry("EdgeResponseStatus", Field.STATUS),
      Map.entry("EdgeResponseBytes", Field.BYTES),
      Map.entry("ClientRequestUserAgent", Field.USER_AGENT),
      Map.entry("ClientRequestReferer", Field.REFERER),
      // Akamai DataStream 2 (every value a string: its time in seconds, its agent encoded)
      Map.entry("cliIP", Field.CLIENT_IP), Map.entry("reqTimeSec", Field.TIME_ISO),
      Map.entry("reqMethod", Field.METHOD), Map.entry("reqHost", Field.HOST),
      Map.entry("reqPath", Field.PATH), Map.entry("queryStr", Field.QUERY),
      Map.entry("statusCode", Field.STATUS), Map.entry("UA", Field.USER_AGENT),
      // AWS WAF (no response status; the headers a list of name-value objects, below)
      Map.entry("httpRequest.clientIp", Field.CLIENT_IP),
      Map.entry("httpRequest.httpMethod", Field.METHOD),
      Map.entry("httpRequest.uri", Field.PATH), Map.entry("httpRequest.args", Field.QUERY),
      Map.entry("httpRequest.httpVersion", Field.PROTOCOL));

  /**
   * Headers logged as a list of {@code {"name": ..., "value": ...}} objects (AWS WAF's
   * {@code httpRequest.headers}), by lower-case name.
   */
  private static final Map<String, Field> HEADERS = Map.of("host", Field.HOST,
      "user-agent", Field.USER_AGENT, "referer", Field.REFERER,
      "x-forwarded-for", Field.FORWARDED_FOR);

  /** Fields written percent-encoded, decoded for detection: Akamai's agent. */
  private static final java.util.Set<String> PERCENT_ENCODED = java.util.Set.of("UA");

  private final java.time.ZoneId zone;

  JsonLinesFormat() {
    this(null);
  }

  private JsonLinesFormat(java.time.ZoneId zone) {
    this.zone = zone;
  }

  @Override
  public String name() {
    return zone == null ? "json" : "json@" + zone;
  }

  @Override
  public LogFormat inZone(java.time.ZoneId z) {
    return new JsonLinesFormat(z);
  }

  @Override
  public LineParser newParser() {
    return this;
  }

  @Override
  public Request parse(String line) throws BadLineException {
    String trimmed = line.strip();
    if (!trimmed.startsWith("{")) {
      throw new BadLineException("unparseable");
    }
    RequestFields out = new RequestFields(zone);
    try (JsonParser p = JSON.createParser(trimmed)) {
      ArrayDeque<String> prefix = new ArrayDeque<>();
      String name = null;
      JsonToken t = p.nextToken();
      if (t != JsonToken.START_OBJECT) {
        throw new BadLineException("unparseable");
      }
      int depth = 1;
      while (depth > 0 && (t = p.nextToken()) != null) {
        switch (t) {
          case FIELD_NAME -> name = p.currentName();
          case START_OBJECT -> {
            prefix.addLast(name);
            depth++;
          }
          case END_OBJECT -> {
            depth--;
            if (!prefix.isEmpty()) {
              prefix.removeLast();
            }
          }
          case START_ARRAY -> {
            // a header as Caddy logs it: a list of the values sent, the first one first
            Field f = NAMES.get(key(prefix, name));
            JsonToken first = p.nextToken();
            if (first == JsonToken.START_OBJECT && name != null
                && name.equalsIgnoreCase("headers")) {
              headerList(p, out);
              break;
            }
            if (f != null && first != null && first.isScalarValue()
                && first != JsonToken.VALUE_NULL) {
              set(out, f, p, false);
            } else if (f == null && first != null && first.isScalarValue()) {
              header(out, headerName(key(prefix, name)), p.getValueAsString());
            }
            if (first != null && first.isStructStart()) {
              p.skipChildren();
            }
            if (first != null && first != JsonToken.END_ARRAY) {
              for (int open = 1; open > 0 && (t = p.nextToken()) != null; ) {
                open += t.isStructStart() ? 1 : t.isStructEnd() ? -1 : 0;
              }
            }
          }
          case VALUE_NULL -> { }
          default -> {
            String key = key(prefix, name);
            Field f = NAMES.get(key);
            if (f != null) {
              set(out, f, p, PERCENT_ENCODED.contains(key));
            } else {
              header(out, headerName(key), p.getValueAsString());
            }
          }
        }
      }
    } catch (IOException e) {
      throw new BadLineException("bad-json");
    }
    return out.toRequest();
  }

  /**
   * Reads a list of header objects ({@code [{"name": "Host", "value": "a.example"}, ...]}), the
   * parser on the first one's start, to the list's end; the first of a name counts.
   */
  private static void headerList(JsonParser p, RequestFields out)
      throws IOException, BadLineException {
    java.util.Set<Field> seen = java.util.EnumSet.noneOf(Field.class);
    for (JsonToken t = p.currentToken(); t != null && t != JsonToken.END_ARRAY;
        t = p.nextToken()) {
      if (t != JsonToken.START_OBJECT) {
        if (t.isStructStart()) {
          p.skipChildren();
        }
        continue;
      }
      String header = null;
      String value = null;
      while ((t = p.nextToken()) != JsonToken.END_OBJECT && t != null) {
        String field = p.currentName();
        t = p.nextToken();
        if (t != null && t.isStructStart()) {
          p.skipChildren();
        } else if ("name".equals(field)) {
          header = p.getValueAsString();
        } else if ("value".equals(field)) {
          value = p.getValueAsString();
        }
      }
      Field f = header == null ? null : HEADERS.get(header.toLowerCase(java.util.Locale.ROOT));
      if (f != null && value != null && seen.add(f)) {
        out.set(f, value, false);
      } else if (f == null && header != null) {
        header(out, header.toLowerCase(java.util.Locale.ROOT), value);
      }
    }
  }

  /**
   * The request header a field holds, by its name in lower case, or null: nginx's
   * {@code http_accept_language} (a {@code $http_} variable), Caddy's
   * {@code request.headers.Cookie}, Traefik's {@code request_Cookie}. Its known fields (the
   * User-Agent, ...) are read as such before this is asked.
   */
  static String headerName(String key) {
    if (key == null) {
      return null;
    }
    String h = key.startsWith("http_") ? key.substring(5).replace('_', '-')
        : key.startsWith("request.headers.") ? key.substring(16)
        : key.startsWith("request_") ? key.substring(8) : null;
    if (h == null || h.isEmpty()) {
      return null;
    }
    String lower = h.toLowerCase(java.util.Locale.ROOT);
    return HEADERS.containsKey(lower) ? null : lower; // spelt another way: read as such or not
  }

  /**
   * Another header's value, where there is one: JSON logs write an unset variable as
   * {@code ""} (nginx's {@code escape=json}) or leave it out, so an empty value says neither
   * that the header was sent nor that it was not, and is left out.
   */
  private static void header(RequestFields out, String name, String value) {
    if (name != null && value != null && !value.isEmpty()) {
      out.header(name, value, false);
    }
  }

  private static String key(ArrayDeque<String> prefix, String name) {
    return prefix.isEmpty() ? name : String.join(".", prefix) + "." + name;
  }

  /** Sets the field {@code f} from the scalar value {@code p} is on. */
  private static void set(RequestFields out, Field f, JsonParser p, boolean encoded)
      throws IOException, BadLineException {
    String v = p.getValueAsString();
    if (encoded && v != null) {
      v = RequestFields.percentDecoded(v);
    }
    Field field = f;
    if (field == Field.PROTOCOL && v != null && !v.startsWith("HTTP")) {
      v = "HTTP/" + v;
    }
    if (field == Field.TIME_ISO && looksClf(v)) {
      field = Field.TIME_CLF;
    } else if (field == Field.TIME_ISO && (p.currentToken().isNumeric() || epochText(v))) {
      field = epochUnit(v);
    }
    if (v != null && (field != Field.REQUEST_LINE || out.target == null)) {
      out.set(field, v, false);
    }
  }

  /**
   * A number where a time stamp belongs ({@code "time": 1360490400.5}, as Caddy and many JSON
   * loggers write it) is time since the epoch, its unit told by its size: seconds until the
   * year 5138 have at most eleven digits, milliseconds thirteen, microseconds sixteen,
   * nanoseconds nineteen (Cloudflare's {@code unixnano}).
   */
  private static Field epochUnit(String v) {
    int dot = v.indexOf('.');
    int digits = dot < 0 ? v.length() : dot;
    return digits <= 11 ? Field.TIME_EPOCH_SECONDS
        : digits <= 14 ? Field.TIME_EPOCH_MILLIS
        : digits <= 17 ? Field.TIME_EPOCH_MICROS
        : digits <= 20 && dot < 0 ? Field.TIME_EPOCH_NANOS : Field.TIME_ISO;
  }

  /** A time stamp written as a number in a string ({@code "reqTimeSec": "1360490400"}). */
  private static boolean epochText(String v) {
    int dot = v == null ? -1 : v.indexOf('.');
    int digits = dot < 0 ? (v == null ? 0 : v.length()) : dot;
    if (digits < 9 || digits > 20) {
      return false;
    }
    for (int i = 0; i < v.length(); i++) {
      if ((v.charAt(i) < '0' || v.charAt(i) > '9') && i != dot) {
        return false;
      }
    }
    return dot < v.length() - 1;
  }

  private static boolean looksClf(String v) {
    return v != null && v.length() > 11 && v.charAt(2) == '/' && v.charAt(6) == '/';
  }
}
