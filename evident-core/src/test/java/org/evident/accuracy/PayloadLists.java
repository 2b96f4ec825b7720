package org.evident.accuracy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The attack payloads of the shared lists, as the accuracy figures count them: driven by
 * MANIFEST.tsv, the sqli, xss, traversal (lfi with it), cmdi and log4shell lists of kind
 * {@code attack}, {@code template:{FILE}} (filled with etc/passwd) and HTML-entity-escaped
 * (unescaped), comment lines dropped where the manifest says {@code #-space} (and
 * {@code #NAME?}, as DATA.md asks). One reading for {@link AccuracyTest} and the attack-flood
 * benchmark, so both measure the same payloads.
 */
public final class PayloadLists {
  private PayloadLists() {}

  /** Category to its deduplicated payloads, in manifest and file order. */
  public static Map<String, Set<String>> read(Path payloads) throws IOException {
    Map<String, Set<String>> out = new LinkedHashMap<>();
    List<String> manifest = Files.readAllLines(payloads.resolve("MANIFEST.tsv"));
    for (String row : manifest.subList(1, manifest.size())) {
      String[] c = row.split("\t");
      String category = c[1].equals("lfi") ? "traversal" : c[1];
      String kind = c[2];
      if (!Set.of("sqli", "xss", "traversal", "cmdi", "log4shell").contains(category)) {
        continue;
      }
      boolean template = kind.startsWith("template:");
      boolean entities = kind.equals("attack (HTML-entity-escaped)");
      if (!kind.equals("attack") && !template && !entities) {
        continue;
      }
      byte[] raw = Files.readAllBytes(payloads.resolve(c[0]));
      String text = new String(raw, c[5].equals("latin-1") ? StandardCharsets.ISO_8859_1
          : StandardCharsets.UTF_8);
      for (String line : text.split("\n")) {
        String p = line.endsWith("\r") ? line.substring(0, line.length() - 1) : line;
        if (p.isBlank()) {
          continue;
        }
        // #NAME? is a spreadsheet's error left in payloadbox's Generic_SQLI.txt (DATA.md)
        if (c[7].equals("#-space") && (p.equals("#") || p.startsWith("# ")
            || p.equals("#NAME?"))) {
          continue;
        }
        if (template) {
          p = p.replace("{FILE}", "etc/passwd");
        }
        if (entities) {
          p = p.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"")
              .replace("&amp;", "&");
        }
        out.computeIfAbsent(category, k -> new LinkedHashSet<>()).add(p);
      }
    }
    return out;
  }
}
