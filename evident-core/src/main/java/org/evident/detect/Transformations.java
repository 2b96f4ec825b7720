package org.evident.detect;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;

/** The registry of transformations by name (case-insensitive, as in SecLang). */
public final class Transformations {
  private Transformations() {}

  private static final Map<String, Supplier<Transformation>> BY_NAME = new TreeMap<>();

  static {
    register(UrlDecodeUni::new);
    register(() -> new UrlDecodeUni(false));
    register(HtmlEntityDecode::new);
    register(Lowercase::new);
    register(RemoveNulls::new);
    register(CompressWhitespace::new);
    register(ReplaceComments::new);
    register(() -> new NormalizePath(false));
    register(() -> new NormalizePath(true));
    register(JsDecode::new);
    register(CssDecode::new);
    register(Base64Decode::new);
    register(HexDecode::new);
    register(HexEncode::new);
    register(Sha1::new);
    register(ReplaceNulls::new);
    register(RemoveWhitespace::new);
    register(RemoveComments::new);
    register(RemoveCommentsChar::new);
    register(CmdLine::new);
    register(Utf8ToUnicode::new);
    register(Length::new);
    register(EscapeSeqDecode::new);
    register(() -> new Trim(true, true));
    register(() -> new Trim(true, false));
    register(() -> new Trim(false, true));
    // ModSecurity takes the British spelling too, and CRS 3.3 uses it (933xxx)
    alias("normalisePath", "normalizePath");
    alias("normalisePathWin", "normalizePathWin");
  }

  private static void alias(String alias, String name) {
    BY_NAME.put(alias.toLowerCase(Locale.ROOT), BY_NAME.get(name.toLowerCase(Locale.ROOT)));
  }

  private static void register(Supplier<Transformation> s) {
    BY_NAME.put(s.get().name().toLowerCase(Locale.ROOT), s);
  }

  /** The names known, for error messages and documentation. */
  public static List<String> names() {
    return BY_NAME.values().stream().map(s -> s.get().name()).distinct().toList();
  }

  /**
   * The transformation with this name.
   *
   * @throws IllegalArgumentException for an unknown name
   */
  public static Transformation byName(String name) {
    Supplier<Transformation> s = BY_NAME.get(name.toLowerCase(Locale.ROOT));
    if (s == null) {
      throw new IllegalArgumentException("unknown transformation '" + name + "'; known: "
          + String.join(", ", names()));
    }
    return s.get();
  }

  /** Applies a chain in order. */
  public static String applyAll(List<Transformation> chain, String input) {
    String v = input;
    for (Transformation t : chain) {
      v = t.apply(v);
    }
    return v;
  }
}
