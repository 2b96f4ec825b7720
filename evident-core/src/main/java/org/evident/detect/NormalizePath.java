package org.evident.detect;

import java.util.ArrayDeque;

/**
 * Resolves {@code .} and {@code ..} segments and repeated slashes, so that {@code /a/./b//../c}
 * compares as the server would see it; the Windows variant ({@code normalizePathWin}) treats
 * backslash as a separator too. Leading {@code ..} segments that climb above the root are kept:
 * they are the evidence of traversal.
 */
final class NormalizePath implements Transformation {
  private final boolean windows;

  NormalizePath(boolean windows) {
    this.windows = windows;
  }

  @Override
  public String name() {
    return windows ? "normalizePathWin" : "normalizePath";
  }

  @Override
  public String triggers() {
    return windows ? "./\\" : "./";
  }

  @Override
  public String apply(String s) {
    if (s.indexOf("/.") < 0 && s.indexOf("//") < 0 && !s.startsWith(".")
        && (!windows || s.indexOf('\\') < 0)) {
      return s;
    }
    String p = windows ? s.replace('\\', '/') : s;
    boolean absolute = p.startsWith("/");
    boolean trailing = p.endsWith("/") && p.length() > 1;
    ArrayDeque<String> out = new ArrayDeque<>();
    int climbs = 0;
    for (String seg : p.split("/")) {
      if (seg.isEmpty() || seg.equals(".")) {
        continue;
      }
      if (seg.equals("..")) {
        if (out.isEmpty()) {
          climbs++;
        } else {
          out.removeLast();
        }
        continue;
      }
      out.addLast(seg);
    }
    StringBuilder b = new StringBuilder();
    if (absolute) {
      b.append('/');
    }
    for (int i = 0; i < climbs; i++) {
      b.append("../");
    }
    for (String seg : out) {
      b.append(seg).append('/');
    }
    if (!out.isEmpty()) {
      b.setLength(b.length() - 1);
    }
    if (trailing && b.charAt(b.length() - 1) != '/') {
      b.append('/');
    }
    return b.toString();
  }
}
