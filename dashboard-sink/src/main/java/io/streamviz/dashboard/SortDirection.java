package io.streamviz.dashboard;

public enum SortDirection {
    ASC,
    DESC
}
