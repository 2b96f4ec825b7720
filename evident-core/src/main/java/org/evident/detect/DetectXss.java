package org.evident.detect;

/**
 * {@code @detectXSS}, of libinjection's kind but written here: the value is read as HTML and
 * matched against the few shapes script injection needs — a script-capable element, an event
 * handler attribute inside a tag, a script URL, or a quote that breaks out of an attribute into
 * a new tag or handler. RE2/J only: linear in the input, and behind a {@link DfaScreen}: the
 * shapes' bounded attribute runs ({@code [^>]{0,1000}}) make RE2/J's automaton a thousand states
 * wide, so a value of many {@code <} took a second, where the screen rejects it in one pass.
 */
final class DetectXss implements Operator {
  private static final Rx SHAPES = new Rx("(?is)"
      // elements that run or load script by themselves (libinjection's list; any svg* and xsl*)
      + "<\\s*/?\\s*(?:script|iframe|frame|frameset|object|embed|applet|meta|base|link|style"
          + "|math|xml|import|isindex|template|noscript|vmlframe|handler|listener|comment|xss"
          + "|svg[a-z0-9_-]*|xsl[a-z0-9_-]*)\\b"
          // an event handler inside a tag; xmlns and xlink attributes, which make any tag a
          // script element of another namespace (<x:script xmlns:x="...xhtml">); IE's data
          // binding (datasrc, dataformatas=html)
          + "|<\\s*[a-z][a-z0-9:-]*\\b[^>]{0,1000}?[\\s/\"'](?:on[a-z]{3,40}\\s*="
          + "|xmlns|xlink|datasrc\\s*=|dataformatas\\s*=)"
          // script URLs (in an attribute or as the whole value), data URLs in a URL attribute
          + "|(?:^|[\\s\"'=(])(?:java|vb|live)script\\s*:"
          + "|<[^>]{0,1000}?\\b(?:src|href|action|formaction|data|background|poster|dynsrc|lowsrc"
          + "|folder|values|from|to|by)\\s*=\\s*[\"'`]?\\s*(?:data|view-source)\\s*:"
          // a quote closing an attribute, then a new tag or a handler (an HTML parser reads an
          // attribute name straight after the quote: "onmouseover=...)
          + "|[\"'`]\\s*/?\\s*>\\s*<\\s*[a-z!/]|[\"'`][\\s/]*on[a-z]{3,40}\\s*=");

  @Override
  public String name() {
    return "detectXSS";
  }

  /** Every shape needs a tag, a script URL or a quote to break out of an attribute. */
  @Override
  public java.util.List<String> requiredLiterals() {
    return java.util.List.of("<", "script", "\"", "'", "`");
  }

  @Override
  public String find(String input) {
    return SHAPES.find(input);
  }
}
