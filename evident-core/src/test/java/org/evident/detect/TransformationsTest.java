package org.evident.detect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class TransformationsTest {

  @ParameterizedTest(name = "{0}({1}) = {2}")
  @CsvSource(delimiter = '|', quoteCharacter = '^', value = {
      "urlDecodeUni|a%20b+c|a b c",
      "urlDecodeUni|%2527|'",
      "urlDecodeUni|%25252e%25252e|..",
      "urlDecodeUni|%u003cscript|<script",
      "urlDecodeUni|%uff1cscript%uFF1E%uff00%uff5f|<script>\uff00\uff5f",
      "urlDecodeUni|%zz%2|%zz%2",
      "urlDecodeUni|%C3%A9|\u00e9",
      "urlDecodeUni|%c0%af|\u00c0\u00af",
      "urlDecodeUni|plain|plain",
      "htmlEntityDecode|&lt;a&gt;|<a>",
      "htmlEntityDecode|&#60;&#x3c;&#X3C|<<<",
      "htmlEntityDecode|javascript&colon;|javascript:",
      "htmlEntityDecode|AT&T;|AT&T;",
      "htmlEntityDecode|a=1&b=2&c=3&|a=1&b=2&c=3&",
      "htmlEntityDecode|&#00000000000000000000000060;&#x000000003c;|<<",
      "htmlEntityDecode|&#0;x|^\u0000x^",
      "htmlEntityDecode|x&amp;y&#59;z&lt|x&y;z&lt",
      "htmlEntityDecode|&#;&#x;&;lt;|&#;&#x;&;lt;",
      "htmlEntityDecode|&#x41&#66;&LT;|AB<",
      "htmlEntityDecode|&verylongname;&lt;|&verylongname;<",
      "lowercase|SeLeCt|select",
      "compressWhitespace|a \t\u000b b|a b",
      "replaceComments|union/**/select|union select",
      "replaceComments|a/*open|^a ^",
      "normalizePath|/a/./b//../c|/a/c",
      "normalizePath|/../../etc/passwd|/../../etc/passwd",
      "normalizePath|\\a\\..\\b|\\a\\..\\b",
      "normalizePathWin|\\a\\..\\b|/b",
      "normalisePath|/a/./b//../c|/a/c",
      "normalisePathWin|\\a\\..\\b|/b",
      "urlDecode|%u003c%3c+|^%u003c< ^",
      "urlDecodeUni|%u4E2D%e4%b8%ad+%ZZ%|中中 %ZZ%",
      "urlDecodeUni|a%c3%28b|aÃ(b",
      "urlDecodeUni|%2525%252f|%/",
      "urlDecodeUni|x+y+%7a|x y z",
      "jsDecode|\\x3cscript\\u003e|<script>",
      "jsDecode|a\\|a\\",
      "jsDecode|\\q\\u12\\x4|qu12x4",
      "jsDecode|\\400\\\\|^ 0\\^",
      "escapeSeqDecode|\\q\\x4\\\\x41|\\q\\x4\\x41",
      "cssDecode|ja\\76\\61 script|javascript",
      "cssDecode|\\3c \\x\\|<x",
      "base64Decode|PHNjcmlwdD4=|<script>",
      "base64Decode|c2VsZWN0!rest|select",
      "base64Decode|!|!",
      "base64Decode|Pz4-Pz8_|?>>???",
      "base64Decode|Pz4+Pz8/|?>>???",
      "base64Decode|YWJjéZGVm|abc",
      "hexDecode|3c7363726970743e|<script>",
      "hexDecode|3g|3g",
      "hexEncode|<a|3c61",
      "replaceNulls|a\u0000b|a b",
      "removeWhitespace|s e\tl e c t|select",
      "removeComments|sel/*x*/ect<!--y-->1|select1",
      "removeComments|1 or 1=1-- rest|1 or 1=1 ",
      "removeComments|a#b|a",
      "removeCommentsChar|un/**/ion--#|union",
      "cmdLine|C^aT \"/etc/pass\"'wd'|cat/etc/passwd",
      "cmdLine|echo;id , ls (x)|echo id ls(x)",
      "cmdLine|x  ID;|x id",
      "cmdLine|\u00c9TAT|\u00e9tat",
      "cmdLine|ls -la|ls -la",
      "cmdLine|,;ls;|ls",
      "cmdLine|Z@[`{|z@[`{",
      "utf8toUnicode|a\u00e9\u4e2d|a%u00e9%u4e2d",
      "utf8toUnicode|\u0080x\uffff\u0a0b|%u0080x%uffff%u0a0b",
      "utf8toUnicode|\ud83d\ude00!|%ud83d%ude00!",
      "utf8toUnicode|\u00ef\u00bc\u009cs|%uff1cs",
      "utf8toUnicode|caf\u00c3\u00a9 \u00c3x|caf%u00e9 %u00c3x",
      "utf8toUnicode|\u00c0\u00af\u00ed\u00a0\u0080|%u00c0%u00af%u00ed%u00a0%u0080",
      "utf8toUnicode|\u00f0\u009f\u0098\u0080|%ud83d%ude00",
      "length|hello|5",
      "trim|^  a b  ^|a b",
      "trimLeft|^  a ^|^a ^",
      "trimRight|^ a  ^|^ a^"})
  void transforms(String name, String input, String expected) {
    assertThat(Transformations.byName(name).apply(input)).isEqualTo(expected);
  }

  @Test
  void escapesThatProduceControlCharacters() {
    assertThat(Transformations.byName("jsDecode").apply("\\uff1cb\\101\\n")).isEqualTo("<bA\n");
    assertThat(Transformations.byName("escapeSeqDecode").apply("\\x41\\101\\n\\q"))
        .isEqualTo("AA\n\\q");
  }

  /** CRS is decoded as ModSecurity decodes: once by the argument parser, once per t:urlDecode. */
  @Test
  void crsDecodingIsOnePassWhereEvidentsIsSeveral() {
    assertThat(Transformations.byName("urlDecodeUni").apply("..%252f%25u002e")).isEqualTo("../.");
    assertThat(UrlDecodeUni.argumentParser().apply("..%252f+x")).isEqualTo("..%2f x");
    assertThat(UrlDecodeUni.modSecurity(true).apply("%25u002e%u002e")).isEqualTo("%u002e.");
    assertThat(UrlDecodeUni.modSecurity(false).apply("%2527%u002e")).isEqualTo("%27%u002e");
    assertThat(UrlDecodeUni.modSecurity(true).name()).isNotEqualTo("urlDecodeUni");
  }

  @Test
  void sha1MatchesTheKnownDigest() {
    assertThat(Transformations.byName("hexEncode").apply(Transformations.byName("sha1")
        .apply("abc"))).isEqualTo("a9993e364706816aba3e25717850c26c9cd0d89d");
  }

  @Test
  void everyTransformationCrsUsesIsKnown() {
    for (String n : new String[] {"urlDecodeUni", "lowercase", "jsDecode", "htmlEntityDecode",
        "utf8toUnicode", "removeNulls", "cssDecode", "cmdLine", "removeWhitespace",
        "replaceComments", "normalizePath", "escapeSeqDecode", "compressWhitespace",
        "normalizePathWin", "length", "base64Decode", "sha1", "hexEncode", "removeCommentsChar",
        "urlDecode", "hexDecode", "replaceNulls", "removeComments", "trim"}) {
      assertThat(Transformations.byName(n).name()).isEqualToIgnoringCase(n);
    }
  }

  @Test
  void triggersNeverHideAChange() {
    String[] samples = {"plain", "a b", "%41", "&lt;", "/a/../b", "A", "x\\y", "/*c*/",
        "\u0000", "a--b", "#x", "\u00e9", "a;b", "a,b", "a^b", "it's", "q\"x", "a\tb",
        "x (y)", "p /q", " lead", "trail ", "MiXed", "\u00c9t\u00e9"};
    for (String n : Transformations.names()) {
      Transformation t = Transformations.byName(n);
      String trig = t.triggers();
      if (trig == null) {
        continue;
      }
      for (String s : samples) {
        boolean any = s.chars().anyMatch(c -> c >= 128 || trig.indexOf(c) >= 0);
        if (!any) {
          assertThat(t.apply(s)).as("%s on %s", n, s).isEqualTo(s);
        }
      }
    }
  }

  @Test
  void removeNullsDropsNul() {
    assertThat(Transformations.byName("removeNulls").apply("a\0b")).isEqualTo("ab");
  }

  @Test
  void unchangedInputIsReturnedAsIs() {
    String s = "/plain/path";
    for (String n : Transformations.names()) {
      Transformation t = Transformations.byName(n);
      if (t.triggers() != null && !n.startsWith("normalizePath")) {
        assertThat(t.apply(s)).as(n).isSameAs(s);
      }
    }
  }

  @Test
  void namesAreCaseInsensitiveAndUnknownOnesExplained() {
    assertThat(Transformations.byName("URLDECODEUNI").name()).isEqualTo("urlDecodeUni");
    assertThatThrownBy(() -> Transformations.byName("rot13")).hasMessageContaining("unknown");
  }
}
