package io.streamviz.dashboard;

import java.io.Serializable;

/**
 * What one widget of a dashboard shows and how. Specs are immutable and serializable, so a Flink
 * sink can carry its dashboard in the job graph.
 */
public sealed interface WidgetSpec extends Serializable
        permits StatWidget, ChartWidget, GaugeWidget, TableWidget {

    /** Stable id, {@code [A-Za-z0-9_-]+}: it names the widget in URLs, JSON and checkpoints. */
    String id();

    /** {@code "stat"}, {@code "chart"}, {@code "gauge"} or {@code "table"}. */
    String type();

    String title();
}
