package io.streamviz.dashboard;

/** How the page prints the values of a table column. */
public enum ColumnFormat {
    /** The value as it is, left-aligned. */
    TEXT,
    /** Rounded to a whole number, with thousands separators. */
    INTEGER,
    /** With thousands separators and up to 6 decimals, as many as the value has. */
    NUMBER,
    /** With thousands separators and exactly 2 decimals. */
    MONEY
}
