package org.evident.detect;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DetectSqliTest {
  private final DetectSqli op = new DetectSqli();

  @ParameterizedTest
  @CsvSource(delimiter = '~', quoteCharacter = '`', value = {
      "1' or '1'='1~true",
      "admin'--~true",
      "' or 1=1--~true",
      "1 or 1=1~true",
      "1) and (2>1~true",
      " or 'a'='a~true",
      "') or ('x'='x~true",
      "1; drop table users~true",
      "1 union all select null,null~true",
      "sleep(5)~true",
      "1 waitfor delay '0:0:5'~true",
      "'-'~true",
      "x' and extractvalue(1,concat(0x7e,version()))~true",
      "O'Brien~false",
      "select a shoe~false",
      "rock 'n' roll~false",
      "union jack t-shirt~false",
      "Union (class in ctypes)~false",
      "union() (frozenset method)~false",
      "1 union(select 1)~true",
      "sleep() (in module asyncio)~false",
      "\"And they told us, what they wanted...~false",
      "' and x=1~true",
      "' and sleep(5)~true",
      " ORDER BY 5 ~true",
      "1 order by 3--~true",
      "books in order by 2025 date~false",
      " or 2 between 1 and 3~true",
      " or 'whatever' in ('whatever')~true",
      " or (EXISTS)~true",
      "1 and user_name() = 'dbo'~true",
      "or in the morning~false",
      "/api/items/1 or 1=1~true",
      "/api/items/1 union select null,null/x~true",
      "/blog/2019/or-not-to-be~false",
      "/docs/1 and 2/intro~false",
      "And 1.1.81 is officially BugFree(tm), so~false",
      "what is 1=1 in maths~false",
      "Where's my order?~false",
      "price>100 and size<10~false",
      "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko)~false",
      "{\"a\":\"b\",\"c\":[1,2]}~false",
      "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.abc~false"})
  void judgesByTokenShape(String value, boolean attack) {
    assertThat(op.find(value.toLowerCase(java.util.Locale.ROOT)) != null).as(value)
        .isEqualTo(attack);
  }
}
