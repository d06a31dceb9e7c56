package io.streamviz.dashboard;

import io.streamviz.dashboard.internal.Checks;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A titled list of widgets, shown in the order they were added. Immutable and serializable. */
public final class Dashboard implements Serializable {

    private static final long serialVersionUID = 1L;

    private final String title;
    private final List<WidgetSpec> widgets;

    /** Index of {@link #widgets} by id; a LinkedHashMap, hence serializable. */
    private final Map<String, WidgetSpec> widgetsById;

    private Dashboard(String title, List<WidgetSpec> widgets) {
        this.title = title;
        this.widgets = List.copyOf(widgets);
        Map<String, WidgetSpec> byId = new LinkedHashMap<>();
        for (WidgetSpec widget : widgets) {
            byId.put(widget.id(), widget);
        }
        this.widgetsById = byId;
    }

    public static Builder builder(String title) {
        return new Builder(title);
    }

    public String title() {
        return title;
    }

    public List<WidgetSpec> widgets() {
        return widgets;
    }

    public Optional<WidgetSpec> widget(String id) {
        return Optional.ofNullable(widgetsById.get(id));
    }

    @Override
    public String toString() {
        return "Dashboard[" + title + ", " + widgetsById.keySet() + "]";
    }

    public static final class Builder {
        private final String title;
        private final List<WidgetSpec> widgets = new ArrayList<>();

        private Builder(String title) {
            this.title = title;
        }

        public Builder widget(WidgetSpec widget) {
            widgets.add(widget);
            return this;
        }

        public Dashboard build() {
            Checks.notBlank("dashboard", "title", title);
            Map<String, WidgetSpec> seen = new LinkedHashMap<>();
            for (WidgetSpec widget : widgets) {
                if (widget == null) {
                    throw new IllegalArgumentException(
                            "dashboard '" + title + "': widget must not be null");
                }
                if (seen.putIfAbsent(widget.id(), widget) != null) {
                    throw new IllegalArgumentException(
                            "dashboard '"
                                    + title
                                    + "': widget id '"
                                    + widget.id()
                                    + "' is used twice");
                }
            }
            return new Dashboard(title, widgets);
        }
    }
}
