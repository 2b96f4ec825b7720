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
public record HeaderField(String name, String value) {}
