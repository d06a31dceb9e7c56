package io.streamviz.dashboard.internal;

/**
 * Server-wide settings of the dashboard page, written into its {@code <html>} element as data
 * attributes.
 *
 * @param defaultTheme {@code "dark"} or {@code "light"}; a viewer's {@code ?theme=} overrides it
 * @param staleAfterMs a widget whose value is older than this shows its age
 */
public record PageSettings(String defaultTheme, long staleAfterMs) {}
