package org.evident.detect;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.evident.log.Request;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RequestConditionTest {

  /**
   * What one exclusion line reads of a request and when it holds. Variable: a target's label,
   * {@code args:NAME} for one argument, {@code client} for the address, a leading {@code &} for
   * a count; {@code none}: the line turned round, as a skipped section's.
   */
  @ParameterizedTest(name = "{0} {1} {2} on {4}")
  @CsvSource(delimiter = '|', value = {
      "args:action|streq|resetpass|false|/l?action=resetpass|true",
      "args:action|streq|resetpass|false|/l?ACTION=reset%70ass|true",
      "args:action|streq|resetpass|false|/l?actions=resetpass|false",
      "args:action|streq|resetpass|false|/l?x=resetpass|false",
      "args:action|streq|resetpass|false|/l|false",
      "args:/^act/|streq|resetpass|false|/l?ACTION=resetpass|true",
      "args:/^act/|streq|resetpass|false|/l?react=resetpass|false",
      "&args:action|eq|1|false|/l?action=a|true",
      "&args:action|eq|1|false|/l?action=a&action=b|false",
      "&args:action|eq|0|false|/l?other=a|true",
      "&args|eq|0|false|/l|true",
      "&args|eq|0|false|/l?a=1|false",
      "args|contains|x|false|/l?a=1&b=x|true",
      "args_names|streq|b|false|/l?a=1&b=x|true",
      "path|endsWith|/wp-login.php|false|/blog/wp-login.php?a=1|true",
      "path|endsWith|/wp-login.php|false|/wp-login.php.bak|false",
      "path|contains|/wp-admin/|true|/wp-admin/post.php|false",
      "path|contains|/wp-admin/|true|/blog|true",
      "uri|contains|a=1|false|/l?a=1|true",
      "request_line|beginsWith|GET /l?|false|/l?a=1|true",
      "method|streq|POST|false|/l|false",
      "client|ipMatch|192.0.2.0/24|false|/l|true",
      "client|ipMatch|127.0.0.1|false|/l|false",
  })
  void holds(String variable, String operator, String argument, boolean none, String target,
      boolean holds) {
    String v = variable.startsWith("&") ? variable.substring(1) : variable;
    int colon = v.indexOf(':');
    Target t = v.equals("client") ? null
        : Target.parse(colon < 0 ? v : v.substring(0, colon));
    RequestCondition c = new RequestCondition(List.of(new RequestCondition.Variable(t,
        colon < 0 ? null : v.substring(colon + 1), variable.startsWith("&"))), List.of(),
        Operators.create(operator, argument), none);
    Request r = new Request(0, "192.0.2.1", null, "GET", target, "HTTP/1.1", 200, 1, null, "x",
        null);
    assertThat(c.test(r)).isEqualTo(holds);
  }
}
