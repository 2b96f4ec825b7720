package org.evident.detect;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RegexLiteralsTest {

  @ParameterizedTest
  @CsvSource(delimiter = '~', nullValues = "NONE", value = {
      "union select~union select",
      "(?i)UNION\\W+SELECT~select",
      "ab*c~a",
      "abc?d~abd,abcd",
      "(?:foo|bar)baz~foobaz,barbaz",
      "(?:foo|bar)\\d+baz~baz",
      "\\bjndi:~jndi:",
      "<script[^>]*>~<script",
      "[\"'];~\";,';",
      "a.*~a",
      "(?:x|.)~NONE",
      "\\w+~NONE",
      "a*~NONE",
      "(?:ab)+c~abc",
      "(?:^|[\\x5c/;])\\.{2,3}[\\x5c/;]~..\\,../,..;",
      "xa{2}y~xaay",
      "(?:x|y){2}~xx,xy,yx,yy",
      "z{20}~zzzzzzzz",
      "q{0,2}r~r",
      "\\x5c\\.\\.~\\..",
      "on(?:load|error)=~onload=,onerror=",
      "(?P<n>etc)/passwd~etc/passwd",
      "(?<n>etc)/x~etc/x",
      "(?<=a)bc~NONE",
      "(?<!a)bc~NONE",
      "(?<n~NONE",
      "[a-z]{3,10}\\W~NONE",
      "(?:a|\\w)+~NONE",
      "(?:a|b)(?:c|d)\\d{2,}~ac,ad,bc,bd",
      "(?:a|b)(?:c|d)x{2,}~acxx,adxx,bcxx,bdxx",
      // too many copies to spell: one copy's last two characters and the next one's first two
      "(?:\\.|%2e|%c0%ae|0x2e|%252e|%u002e){2,3}~..,.%2,.%c,.0x,.%u,2e.,2e%2,2e%c,2e0x,2e%u,"
          + "ae.,ae%2,ae%c,ae0x,ae%u",
      "x+(?:ab|cd)~xab,xcd",
      "(?:a|b)+c~ac,bc",
      "(?:ls|w)$~ls<$>,w<$>",
      "^\\(\\s*\\)~<^>(",
      "\\Ajson\\z~<^>json<$>",
      "(?m)^abc$~abc",
      "^\\d+$~NONE",
      "\\$+(?:[A-Z_a-z\\x7f-\\x{ff}][0-9A-Z_a-z]*|b)~$"})
  void requiredLiterals(String regex, String expected) {
    check(regex, RegexLiterals.required(regex), expected);
  }

  /** Literals in a text without quotes, backslashes, ) [ ^ and $ (CRS's command evasions). */
  @ParameterizedTest
  @CsvSource(delimiter = '~', nullValues = "NONE", value = {
      "c[\"'\\x5c]*a[\"'\\x5c]*t~cat",
      "c(?:(?:\\|\\||&&)?\\$[a-z@]*)?\\x5c?a~ca",
      "(?:;|\\$\\()id~;id",
      "\\$\\{~NONE",
      "a[\\^\"]*b~ab",
      "[;$]x~;x",
      "\\Qa'b\\E~ab",
      "d[\"']?f~df",
      "(?:x|[\"'])y~xy,y"})
  void foldedLiterals(String regex, String expected) {
    check(regex, RegexLiterals.requiredFolded(regex), expected);
  }

  /** The prefilter folds only when that gives longer literals than reading plainly. */
  @ParameterizedTest
  @CsvSource(delimiter = '~', value = {
      "c[\"'\\x5c]*a[\"'\\x5c]*t~<f>cat",
      "cat~cat",
      "ca'?t~ca't,cat"})
  void prefilterFoldsWhenThatIsMoreSelective(String regex, String expected) {
    check(regex, RegexLiterals.prefilter(regex), expected);
  }

  /**
   * The prefilter's one promise: when RE2/J matches a text, one of the literals is there (read
   * with the anchors around the text, or in the folded text, or the text holds a $). Checked
   * for every pattern of the built-in rules and of CRS over a sample of every payload list.
   */
  @org.junit.jupiter.api.Test
  void neverMissesWhatRe2Matches() throws java.io.IOException {
    List<String> texts = DfaScreenTest.payloadSample(60);
    List<String> wrong = new java.util.ArrayList<>();
    int matched = 0;
    int withLiterals = 0;
    for (String p : DfaScreenTest.patterns()) {
      List<String> literals = RegexLiterals.prefilter(p);
      if (literals.isEmpty()) {
        continue;
      }
      withLiterals++;
      com.google.re2j.Pattern re = com.google.re2j.Pattern.compile(p,
          com.google.re2j.Pattern.DOTALL);
      for (String t : texts) {
        if (!re.matcher(t).find()) {
          continue;
        }
        matched++;
        String lower = t.toLowerCase(java.util.Locale.ROOT);
        String anchored = RegexLiterals.TEXT_START + lower + RegexLiterals.TEXT_END;
        String folded = RegexLiterals.TEXT_START + RegexLiterals.fold(lower) + RegexLiterals.TEXT_END;
        boolean found = literals.stream().anyMatch(l -> l.charAt(0) == RegexLiterals.FOLDED
            ? lower.indexOf('$') >= 0 || folded.contains(l.substring(1))
            : anchored.contains(l));
        if (!found) {
          wrong.add(p + " on " + t);
        }
      }
    }
    assertThat(wrong).isEmpty();
    assertThat(withLiterals).isGreaterThan(250);
    assertThat(matched).as("matches, so the check means something").isGreaterThan(3000);
  }

  private static void check(String regex, List<String> got, String expected) {
    List<String> shown = got.stream().map(s -> s
        .replace(String.valueOf(RegexLiterals.TEXT_START), "<^>")
        .replace(String.valueOf(RegexLiterals.TEXT_END), "<$>")
        .replace(String.valueOf(RegexLiterals.FOLDED), "<f>")).toList();
    if (expected == null) {
      assertThat(shown).as(regex).isEmpty();
    } else {
      assertThat(shown).as(regex).containsExactlyInAnyOrder(expected.split(","));
    }
  }

  /** Folding drops exactly the evasion characters shells ignore, wherever they are. */
  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "cat /etc/passwd|cat /etc/passwd",
      "c\"a't)[\\^|cat",
      ")))|''",
      "Mozilla/5.0 (X11; Linux)|Mozilla/5.0 (X11; Linux",
      "\u00e9)\u4e2d^|\u00e9\u4e2d",
      "a]b(c{d}|a]b(c{d}"})
  void foldingDropsTheEvasionCharacters(String text, String expected) {
    String folded = RegexLiterals.fold(text);
    assertThat(folded).isEqualTo(expected);
    if (text.equals(expected)) {
      assertThat(folded).as("unchanged text is returned as is").isSameAs(text);
    }
  }
}
