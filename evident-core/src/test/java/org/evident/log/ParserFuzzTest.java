package org.evident.log;

import static org.assertj.core.api.Assertions.assertThatCode;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A parser meets whatever a file holds: a line cut anywhere, a character dropped or put in the
 * wrong place. It returns a request, or nothing for a directive, or throws
 * {@link BadLineException} (a skipped line, counted by reason); anything else would stop the
 * batch of lines it was in. Every cut of each line, and mutations from a fixed seed.
 */
class ParserFuzzTest {
  private static final String MARKS = "[]{}\"'#%\\:/ \t|<>-+?&=\u00e9\u0000";

  static Stream<Arguments> lines() {
    return Stream.of(
        Arguments.of("combined", "192.0.2.1 - - [10/Feb/2013:10:00:00 +0000] \"GET /p?q=1"
            + " HTTP/1.1\" 200 5 \"http://r.example/\" \"Mozilla/5.0 (X11)\""),
        Arguments.of("vhost_combined", "shop.example:443 192.0.2.7 - - [01/Feb/2013:08:00:00"
            + " +0800] \"GET / HTTP/1.1\" 200 5 \"-\" \"curl/8\""),
        Arguments.of("apache:%a %{sec}t \"%m %U%q %H\" %>s %{ms}T \"%{User-Agent}i\"",
            "192.0.2.9 1360000000 \"GET /p?q=1 HTTP/1.1\" 200 12 \"ua \\\"q\\\" \\x41\""),
        Arguments.of("nginx:$remote_addr [$time_iso8601] $host \"$request\" $status",
            "192.0.2.8 [2013-02-03T10:00:00+01:00] a.example \"GET /x HTTP/2.0\" 500"),
        Arguments.of("json", "{\"httpRequest\":{\"requestMethod\":\"GET\",\"requestUrl\":"
            + "\"https://[2001:db8::1]:8443/s?q=1\",\"status\":403,\"remoteIp\":\"192.0.2.18\"},"
            + "\"timestamp\":\"2013-02-10T10:00:00.123456789Z\",\"EdgeStartTimestamp\":"
            + "1360490400123456789,\"reqTimeSec\":\"1360490400.250\",\"UA\":\"a%20b%zz\"}"),
        Arguments.of("json", "{\"timestamp\":1360490400123,\"httpRequest\":{\"clientIp\":"
            + "\"192.0.2.25\",\"headers\":[{\"name\":\"Host\",\"value\":\"w.example\"},"
            + "{\"name\":\"User-Agent\",\"value\":[1]}],\"uri\":\"/i\",\"args\":\"a=1\","
            + "\"httpMethod\":\"GET\"}}"),
        Arguments.of("alb", "https 2013-02-07T10:00:00.123456Z app/lb/1 192.0.2.12:5555"
            + " 10.0.0.1:80 0.001 0.002 0.000 200 200 100 200 \"GET"
            + " https://alb.example:443/a?b=c HTTP/1.1\" \"ALB UA\" ECDHE TLSv1.2"
            + " arn:aws:x \"Root=1\" \"alb.example\" \"arn:cert\" 0"),
        Arguments.of("w3c", "2019-12-04\t21:02:31\tLAX1\t392\t192.0.2.100\tGET\t"
            + "d111111abcdef8.cloudfront.net\t/index.html\t200\t-\tMozilla/5.0%20(X)\tid=1\t-"),
        Arguments.of("haproxy", "Feb 10 10:00:00 lb1 haproxy[14389]: 192.0.2.22:33317"
            + " [10/Feb/2013:10:00:00.655] http-in static/srv1 10/0/30/69/109 200 +2750 - - ----"
            + " 1/1/1/1/0 0/0 {shop.example|Mozilla/5.0 (X11)} {} \"GET /p?id=1#27 HTTP/1.1\""),
        Arguments.of("w3c:timestamp,c-ip,sc-status,cs-method,cs-uri-stem,cs-user-agent,"
            + "cs-uri-query", "1360490400.123\t192.0.2.40\t200\tGET\t/i\ta%20b\tq=1"),
        Arguments.of("haproxy:host,-,user-agent", "192.0.2.22:33317 [10/Feb/2013:10:00:00.655]"
            + " fe be/s 1/2/3/4/5 200 10 - - ---- 1/1/1/1/0 0/0 {a.example|x|curl/8} \"GET /"
            + " HTTP/1.1\""),
        Arguments.of("syslog+combined", "<190>1 2013-02-10T10:00:00Z web1 nginx - ID47"
            + " [x@1 a=\"x\\]y\"] 192.0.2.30 - - [10/Feb/2013:11:00:00 +0100] \"GET /p HTTP/1.1\""
            + " 200 5 \"-\" \"Mozilla/5.0\""));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("lines")
  void aDamagedLineIsSkippedWithAReasonNeverThrown(String format, String line) {
    LineParser parser = LogFormats.byName(format).newParser();
    if (format.equals("w3c")) {
      quietly(parser, "#Fields: date time x-edge-location sc-bytes c-ip cs-method cs(Host)"
          + " cs-uri-stem sc-status cs(Referer) cs(User-Agent) cs-uri-query cs(Cookie)");
    }
    List<String> damaged = new ArrayList<>();
    for (int cut = 0; cut <= line.length(); cut++) {
      damaged.add(line.substring(0, cut));
      damaged.add(line.substring(cut));
    }
    Random random = new Random(31);
    for (int n = 0; n < 3000; n++) {
      StringBuilder b = new StringBuilder(line);
      for (int k = 1 + random.nextInt(3); k > 0 && b.length() > 0; k--) {
        int at = random.nextInt(b.length());
        switch (random.nextInt(3)) {
          case 0 -> b.deleteCharAt(at);
          case 1 -> b.insert(at, MARKS.charAt(random.nextInt(MARKS.length())));
          default -> b.setCharAt(at, MARKS.charAt(random.nextInt(MARKS.length())));
        }
      }
      damaged.add(b.toString());
    }
    for (String d : damaged) {
      assertThatCode(() -> quietly(parser, d)).as(d).doesNotThrowAnyException();
    }
  }

  private static void quietly(LineParser parser, String line) {
    try {
      parser.parse(line);
    } catch (BadLineException e) {
      // a skipped line, counted by its reason
    }
  }
}
