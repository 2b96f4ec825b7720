package org.evident.detect;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DetectXssTest {
  private final DetectXss op = new DetectXss();

  @ParameterizedTest
  @CsvSource(delimiter = '~', quoteCharacter = '`', value = {
      "<script>alert(1)</script>~true",
      "<img src=x onerror=alert(1)>~true",
      "<svg/onload=alert(1)>~true",
      "javascript:alert(document.cookie)~true",
      "\"><img src=x>~true",
      "\" onmouseover=\"alert(1)~true",
      "<a href=\"data:text/html;base64,PHNjcmlwdD4=\">x</a>~true",
      "<body onload=alert(1)>~true",
      "<iframe src=//evil>~true",
      // CRS 941100's and 941101's regression tests, as libinjection reads them
      "<x:script xmlns:x=\"http://www.w3.org/1999/xhtml\" src=\"data:,alert(1)\" />~true",
      "/get/\"onmouseover='prompt(document.cookie)'\"~true",
      "<a xlink:href=\"x\">~true",
      "<img src=\"data:image/svg+xml,x\">~true",
      "<svgfoo onload=x>~true",
      "<SPAN DATASRC=#I DATAFLD=C DATAFORMATAS=HTML></SPAN>~true",
      "<noscript><p title=\"</noscript>~true",
      "see the xmlns attribute~false",
      "<a href=\"database.html\">db</a>~false",
      "\"online\" courses~false",
      "it's on=off~false",
      "a < b and c > d~false",
      "Tom & Jerry <3~false",
      "I <3 onions = yes~false",
      "rock 'n' roll~false",
      "O'Brien~false",
      "price <100 >50~false",
      "see <b>bold</b> text~false",
      "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko)~false"})
  void judgesByHtmlShape(String value, boolean attack) {
    assertThat(op.find(value) != null).as(value).isEqualTo(attack);
  }
}
