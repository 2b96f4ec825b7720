package org.evident.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * Runs the CLI in-process as the launcher runs it (rules preloaded, only the named command
 * built), without exiting, and captures what it prints.
 */
final class Cli {
  record Result(int code, String out, String err) {}

  /**
   * A request whose only match is double encoding (a link carrying an encoded URL), a warning
   * of 3 points: below the default threshold of 5, an attack at 3 (the tests of scoring
   * settings use it). A lone quote encoded twice would be a probe, an attack on its own.
   */
  static final String WARNING_LINE = "192.0.2.9 - - [01/Feb/2013:00:00:00 +0000]"
      + " \"GET /p?next=%252Fcart%253Fa%253D1 HTTP/1.1\" 200 1 \"-\" \"Mozilla/5.0\"\n";

  static synchronized Result run(String... args) {
    PrintStream oldOut = System.out;
    PrintStream oldErr = System.err;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    try {
      System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
      System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
      int code = Main.execute(args); // as the launcher runs it: rules preloaded, one command
      return new Result(code, out.toString(StandardCharsets.UTF_8),
          err.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(oldOut);
      System.setErr(oldErr);
    }
  }

  private Cli() {}
}
