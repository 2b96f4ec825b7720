package org.evident.store;

/** Requests and attack requests on one UTC day ({@code yyyy-mm-dd}). */
public record DayRow(String day, long requests, long attacks) {}
