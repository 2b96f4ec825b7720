package org.evident.report;

import java.io.IOException;
import java.util.Locale;
import org.evident.store.MonthReport;

/** The formats a month report can be written in. */
public enum ReportFormat {
  TEXT(new TextReport()),
  MD(new MarkdownReport()),
  JSON(new JsonReport()),
  CSV(new CsvReport()),
  HTML(new HtmlReport());

  private final Renderer renderer;

  ReportFormat(Renderer renderer) {
    this.renderer = renderer;
  }

  public void render(MonthReport report, Appendable out) throws IOException {
    renderer.render(report, out);
  }

  /** {@code text}, {@code md}, ... */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** One renderer per format; each escapes attacker text for its medium. */
  interface Renderer {
    void render(MonthReport report, Appendable out) throws IOException;
  }
}
