package org.evident.store;

/** What {@code evident top} can rank by; each maps to a fixed column, never to user text. */
public enum Dimension {
  IPS("src_ip"),
  COUNTRIES("country"),
  ASNS("asn"),
  URLS("target"),
  CLASSES("class"),
  TOOLS("tool"),
  SITES("site"),
  /** Each rule an attack request matched (a request counts once for each of its rules). */
  RULES("rule_ids");

  final String column;

  Dimension(String column) {
    this.column = column;
  }
}
