package org.evident.store;

import java.util.List;

/** The columns and rows of an ad-hoc query, values rendered as text ({@code null} kept). */
public record QueryResult(List<String> columns, List<List<String>> rows, boolean truncated) {}
