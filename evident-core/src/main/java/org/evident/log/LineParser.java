package org.evident.log;

/**
 * Turns one log line into a {@link Request}. A parser belongs to one source and may keep state
 * from earlier lines (W3C {@code #Fields} directives); that state is small and explicit.
 */
public interface LineParser {

  /**
   * Parses one line (without its line terminator).
   *
   * @return the request, or {@code null} when the line is a directive or comment that carries no
   *     request (it is then not counted as bad)
   * @throws BadLineException when the line is not in this format
   */
  Request parse(String line) throws BadLineException;

  /**
   * A parser in the same state as this one, for handing a stretch of lines to another thread.
   * Stateless parsers return themselves.
   */
  default LineParser copy() {
    return this;
  }

  /**
   * The directive lines that put a new parser of this format into this one's state, one per
   * line, or {@code null} for a stateless parser. A scan stores them with the offset it reached,
   * so that the next scan, which starts there and never sees the file's header again (an IIS
   * log's {@code #Fields}), reads the new lines as these were read.
   */
  default String state() {
    return null;
  }
}
