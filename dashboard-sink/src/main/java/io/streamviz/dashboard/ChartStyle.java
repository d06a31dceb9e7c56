package io.streamviz.dashboard;

/** How a chart draws its series. */
public enum ChartStyle {
    LINE,
    /** A line with the area below it filled in a translucent shade of the line's color. */
    AREA
}
