package org.evident.bench;

import java.io.IOException;
import java.io.Writer;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.evident.accuracy.PayloadLists;

/**
 * Writes a combined log of attack requests, one payload of the shared lists a line in a query
 * argument, as a scanner flooding a site sends them: the payloads the accuracy test counts
 * ({@link PayloadLists}), each once, shuffled, repeated to the number of lines asked for.
 * Usage: PayloadLog PAYLOADS_DIR LINES OUT.
 */
public final class PayloadLog {
  private PayloadLog() {}

  public static void main(String[] args) throws IOException {
    Path dir = Path.of(args[0]);
    int lines = Integer.parseInt(args[1]);
    java.util.Set<String> distinct = new java.util.LinkedHashSet<>();
    PayloadLists.read(dir).values().forEach(distinct::addAll);
    List<String> payloads = new ArrayList<>(distinct);
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
}
