package org.evident.cli;

import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Where a document goes: the file named by {@code -o}, else standard output. */
final class Output {
  private Output() {}

  static Writer open(Path file, PrintStream stdout) {
    if (file == null) {
      return new OutputStreamWriter(stdout, StandardCharsets.UTF_8) {
        @Override
        public void close() throws IOException {
          flush();
        }
      };
    }
    try {
      Path parent = file.toAbsolutePath().getParent();
      if (parent != null && !Files.isDirectory(parent)) {
        throw new UserException("cannot write " + file + ": folder " + parent
            + " does not exist");
      }
      return Files.newBufferedWriter(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UserException("cannot write " + file + ": " + e.getMessage());
    }
  }
}
