package org.evident.log;

/**
 * A request header a log format holds besides those {@link Request} names (a site's
 * {@code %{Cookie}i}, nginx's {@code $http_accept}): what rules on {@code REQUEST_HEADERS} and
 * {@code REQUEST_COOKIES} read.
 *
 * @param name the header's name in lower case ({@code accept-language})
 * @param value as sent; {@code null} when the client did not send it ({@code -}), empty when
 *     it sent it empty ({@code ""})
 */
public record HeaderField(String name, String value) {
  private static final java.util.regex.Pattern TOKEN =
      java.util.regex.Pattern.compile("[A-Za-z0-9!#$%&'*+.^_`|~-]+");

  /**
   * Whether {@code name} can name a header: an HTTP token (RFC 9110), in any case. Names come
   * from users (a format, an allow entry) and from CRS's files, never from a log line.
   */
  public static boolean isName(String name) {
    return TOKEN.matcher(name).matches();
  }
}
