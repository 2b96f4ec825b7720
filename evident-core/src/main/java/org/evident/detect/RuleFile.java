package org.evident.detect;

/**
 * The text of one rule file and the name it is known by (a path or a resource name). The core
 * reads no files itself: callers hand it text, so the same rules load in a CLI or a Flink job.
 */
public record RuleFile(String name, String text) {}
