package org.evident.bench;

import java.io.IOException;
import java.io.Writer;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * Writes a combined log of attack requests, one payload of the shared lists a line in a query
 * argument, as a scanner flooding a site sends them: every distinct payload of the sqli, xss,
 * traversal, cmdi and log4shell lists (as the accuracy test reads them), shuffled, repeated to
 * the number of lines asked for. Usage: PayloadLog PAYLOADS_DIR LINES OUT.
 */
public final class PayloadLog {
  private PayloadLog() {}

  public static void main(String[] args) throws IOException {
    Path dir = Path.of(args[0]);
    int lines = Integer.parseInt(args[1]);
    List<String> payloads = new ArrayList<>(read(dir));
    Collections.shuffle(payloads, new Random(1));
    try (Writer w = Files.newBufferedWriter(Path.of(args[2]))) {
      for (int i = 0; i < lines; i++) {
        String q = URLEncoder.encode(payloads.get(i % payloads.size()), StandardCharsets.UTF_8);
        w.write(String.format("203.0.113.%d - - [01/Feb/2013:%02d:%02d:%02d +0000] \"GET"
            + " /search?q=%s HTTP/1.1\" 200 512 \"-\" \"Mozilla/5.0 (X11; Linux x86_64)\"%n",
            i % 250, i / 3600 % 24, i / 60 % 60, i % 60, q));
      }
    }
    System.out.println(payloads.size() + " distinct payloads, " + lines + " lines");
  }

  private static Set<String> read(Path dir) throws IOException {
    Set<String> out = new LinkedHashSet<>();
    List<String> manifest = Files.readAllLines(dir.resolve("MANIFEST.tsv"));
    for (String row : manifest.subList(1, manifest.size())) {
      String[] c = row.split("\t");
      String category = c[1].equals("lfi") ? "traversal" : c[1];
      String kind = c[2];
      boolean template = kind.startsWith("template:");
      boolean entities = kind.equals("attack (HTML-entity-escaped)");
      if (!Set.of("sqli", "xss", "traversal", "cmdi", "log4shell").contains(category)
          || !kind.equals("attack") && !template && !entities) {
        continue;
      }
      String text = new String(Files.readAllBytes(dir.resolve(c[0])),
          c[5].equals("latin-1") ? StandardCharsets.ISO_8859_1 : StandardCharsets.UTF_8);
      for (String line : text.split("\n")) {
        String p = line.endsWith("\r") ? line.substring(0, line.length() - 1) : line;
        if (p.isBlank() || c[7].equals("#-space") && (p.equals("#") || p.startsWith("# "))) {
          continue;
        }
        p = template ? p.replace("{FILE}", "etc/passwd") : p;
        out.add(entities ? p.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"")
            .replace("&amp;", "&") : p);
      }
    }
    return out;
  }
}
