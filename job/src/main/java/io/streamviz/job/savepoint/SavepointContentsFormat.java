package io.streamviz.job.savepoint;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.streamviz.job.records.Totals;
import io.streamviz.job.savepoint.SavepointContents.DashboardBuffers;
import io.streamviz.job.savepoint.SavepointContents.Figures;
import java.io.IOException;
import java.io.StringWriter;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.SortedMap;
import java.util.stream.Collectors;

/** Writes {@link SavepointContents} for people (text) and for scripts (one JSON document). */
public final class SavepointContentsFormat {
    private SavepointContentsFormat() {}

    public static String text(SavepointContents contents) {
        StringBuilder out = new StringBuilder();
        out.append("Savepoint ")
                .append(contents.savepoint())
                .append(" (checkpoint ")
                .append(contents.checkpointId())
                .append(")\n");
        Figures figures = contents.figures();
        if (figures == null) {
            out.append("\nNo state of operator dashboard-figures: no totals to show.\n");
        } else {
            out.append("\nTotals\n");
            line(out, "revenue", money(figures.overall().revenueCents));
            line(out, "orders", Long.toString(figures.overall().orders));
            line(out, "average order", average(figures.overall()).toPlainString());
            line(out, "rejected records", Long.toString(figures.rejected()));
            table(out, "By region", figures.regions());
            table(out, "By category", figures.categories());
            out.append("\nOpen minutes (event time; still accepting late orders)\n");
            if (figures.openMinutes().isEmpty()) {
                out.append("  none\n");
            }
            figures.openMinutes()
                    .forEach(
                            (start, byRegion) -> {
                                Totals minute = sum(byRegion);
                                out.append(
                                        String.format(
                                                Locale.ROOT,
                                                "  %-22s %14s %8d   %s%n",
                                                Instant.ofEpochMilli(start),
                                                money(minute.revenueCents),
                                                minute.orders,
                                                byRegion.entrySet().stream()
                                                        .map(
                                                                e ->
                                                                        e.getKey()
                                                                                + " "
                                                                                + money(
                                                                                        e.getValue()
                                                                                                .revenueCents)
                                                                                + "/"
                                                                                + e.getValue()
                                                                                        .orders)
                                                        .collect(Collectors.joining(", "))));
                            });
        }
        DashboardBuffers dashboard = contents.dashboard();
        if (dashboard == null) {
            out.append("\nNo state of the dashboard sink.\n");
        } else {
            out.append("\nDashboard sink buffers\n");
            line(out, "widgets with state", Integer.toString(dashboard.widgets().size()));
            out.append("    ").append(String.join(", ", dashboard.widgets())).append('\n');
            dashboard.chartPoints().forEach((id, points) -> line(out, id, points + " points"));
            dashboard.tableRows().forEach((id, rows) -> line(out, id, rows + " rows"));
        }
        return out.toString();
    }

    public static String json(SavepointContents contents) throws IOException {
        StringWriter text = new StringWriter();
        try (JsonGenerator json = new JsonFactory().createGenerator(text)) {
            json.useDefaultPrettyPrinter();
            json.writeStartObject();
            json.writeStringField("savepoint", contents.savepoint());
            json.writeNumberField("checkpoint_id", contents.checkpointId());
            Figures figures = contents.figures();
            if (figures != null) {
                json.writeObjectFieldStart("totals");
                json.writeNumberField("revenue", moneyValue(figures.overall().revenueCents));
                json.writeNumberField("orders", figures.overall().orders);
                json.writeNumberField("avg_order", average(figures.overall()));
                json.writeNumberField("rejected", figures.rejected());
                json.writeEndObject();
                members(json, "regions", figures.regions());
                members(json, "categories", figures.categories());
                json.writeArrayFieldStart("open_minutes");
                for (Map.Entry<Long, SortedMap<String, Totals>> minute :
                        figures.openMinutes().entrySet()) {
                    Totals sum = sum(minute.getValue());
                    json.writeStartObject();
                    json.writeNumberField("start", minute.getKey());
                    json.writeNumberField("revenue", moneyValue(sum.revenueCents));
                    json.writeNumberField("orders", sum.orders);
                    members(json, "regions", minute.getValue());
                    json.writeEndObject();
                }
                json.writeEndArray();
            }
            DashboardBuffers dashboard = contents.dashboard();
            if (dashboard != null) {
                json.writeObjectFieldStart("dashboard");
                json.writeArrayFieldStart("widgets");
                for (String id : dashboard.widgets()) {
                    json.writeString(id);
                }
                json.writeEndArray();
                counts(json, "chart_points", dashboard.chartPoints());
                counts(json, "table_rows", dashboard.tableRows());
                json.writeEndObject();
            }
            json.writeEndObject();
        }
        return text.toString();
    }

    private static void members(JsonGenerator json, String field, Map<String, Totals> members)
            throws IOException {
        json.writeObjectFieldStart(field);
        for (Map.Entry<String, Totals> member : members.entrySet()) {
            json.writeObjectFieldStart(member.getKey());
            json.writeNumberField("revenue", moneyValue(member.getValue().revenueCents));
            json.writeNumberField("orders", member.getValue().orders);
            json.writeEndObject();
        }
        json.writeEndObject();
    }

    private static void counts(JsonGenerator json, String field, Map<String, Integer> counts)
            throws IOException {
        json.writeObjectFieldStart(field);
        for (Map.Entry<String, Integer> count : counts.entrySet()) {
            json.writeNumberField(count.getKey(), count.getValue());
        }
        json.writeEndObject();
    }

    private static void table(StringBuilder out, String title, Map<String, Totals> members) {
        out.append('\n')
                .append(String.format(Locale.ROOT, "%-24s %14s %8s%n", title, "revenue", "orders"));
        if (members.isEmpty()) {
            out.append("  none\n");
        }
        members.forEach(
                (member, totals) ->
                        out.append(
                                String.format(
                                        Locale.ROOT,
                                        "  %-22s %14s %8d%n",
                                        member,
                                        money(totals.revenueCents),
                                        totals.orders)));
    }

    private static void line(StringBuilder out, String label, String value) {
        out.append(String.format(Locale.ROOT, "  %-22s %14s%n", label, value));
    }

    private static Totals sum(Map<String, Totals> members) {
        Totals sum = new Totals();
        members.values().forEach(sum::add);
        return sum;
    }

    private static BigDecimal moneyValue(long cents) {
        return BigDecimal.valueOf(cents, 2);
    }

    private static String money(long cents) {
        return moneyValue(cents).toPlainString();
    }

    /** As the dashboard shows it: to the cent, half up. */
    private static BigDecimal average(Totals totals) {
        if (totals.orders == 0) {
            return moneyValue(0);
        }
        return BigDecimal.valueOf(totals.revenueCents)
                .divide(BigDecimal.valueOf(totals.orders), 0, RoundingMode.HALF_UP)
                .movePointLeft(2);
    }
}
