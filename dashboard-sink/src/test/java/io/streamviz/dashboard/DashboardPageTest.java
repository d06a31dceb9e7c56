package io.streamviz.dashboard;

import static io.streamviz.dashboard.EcommerceLikeDashboard.BY_REGION;
import static io.streamviz.dashboard.EcommerceLikeDashboard.ORDERS_PER_SEC;
import static io.streamviz.dashboard.EcommerceLikeDashboard.REJECTED;
import static io.streamviz.dashboard.EcommerceLikeDashboard.REVENUE;
import static io.streamviz.dashboard.EcommerceLikeDashboard.REVENUE_CHART;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.WebElement;

/** The dashboard page in headless Chromium, against a real server fed through its ingest API. */
class DashboardPageTest {

    private static Browser browser;
    private static DashboardServer server;
    private static String base;

    private final long nowMs = System.currentTimeMillis();

    @BeforeAll
    static void startBrowserAndServer() {
        browser = Browser.start();
        server =
                DashboardServer.builder()
                        .dashboard(EcommerceLikeDashboard.dashboard())
                        .port(0)
                        .bindAddress("127.0.0.1")
                        .build()
                        .start();
        base = "http://127.0.0.1:" + server.port();
    }

    @AfterAll
    static void stop() {
        server.close();
        browser.close();
    }

    @BeforeEach
    void freshState() {
        browser.resize(1280, 800);
        server.restoreState(DashboardState.empty());
        EcommerceLikeDashboard.feed(server, nowMs);
    }

    @AfterEach
    void browserConsoleStayedClean() {
        assertThat(browser.consoleErrors()).isEmpty();
    }

    @Test
    void pageShowsEveryWidgetWithTheSnapshotValuesAndFollowsUpdates() {
        browser.open(base + "/");
        awaitLive();
        JsonNode snapshot = Json.parse(new HttpProbe(server.port()).get("/api/snapshot").body());

        List<String> ids = new ArrayList<>();
        browser.findAll("[data-widget]").forEach(card -> ids.add(card.getAttribute("data-widget")));
        assertThat(ids)
                .containsExactlyElementsOf(
                        server.dashboard().widgets().stream().map(WidgetSpec::id).toList());
        for (WidgetSpec spec : server.dashboard().widgets()) {
            JsonNode state = snapshot.get("widgets").get(spec.id());
            if (spec instanceof StatWidget stat) {
                String expected =
                        format(
                                state.get("value").decimalValue(),
                                stat.decimals(),
                                stat.thousandsSeparators());
                assertThat(browser.text(card(spec.id()) + " .stat-number"))
                        .as(spec.id())
                        .isEqualTo(expected);
            } else if (spec instanceof ChartWidget) {
                JsonNode points = state.get("points");
                BigDecimal last = points.get(points.size() - 1).get(1).decimalValue();
                assertThat(
                                browser.find(card(spec.id()) + " .chart-body")
                                        .getAttribute("aria-label"))
                        .contains("latest " + format(last, 0, true))
                        .endsWith(points.size() + " points");
            }
        }
        assertThat(browser.text(card("revenue") + " .stat-number")).isEqualTo("1,234,567.89");
        assertThat(browser.text(card("revenue") + " .stat-unit")).isEqualTo("$");
        assertThat(browser.text(card("revenue") + " .delta")).isEqualTo("▲ +34,567.89");
        assertThat(browser.text(card("orders_per_sec") + " .gauge-value")).isEqualTo("123.4");
        assertThat(rowKeys("by_region")).containsExactly("us_east", "us_west", "europe", "asia");
        assertThat(cells("by_region", "us_east"))
                .containsExactly("us_east", "512,345.10", "1,000", "45.00");

        server.accept(REVENUE.set(new BigDecimal("1234600.00"), nowMs + 1_000));
        server.accept(
                BY_REGION.upsert(
                        "africa", EcommerceLikeDashboard.row("999999.99", 3, "1.5"), nowMs));

        browser.await(
                "the new revenue",
                () -> browser.text(card("revenue") + " .stat-number"),
                "1,234,600.00");
        assertThat(browser.text(card("revenue") + " .delta")).isEqualTo("▲ +32.11");
        browser.await("the new row first", () -> rowKeys("by_region").get(0), "africa");
        assertThat(cells("by_region", "africa"))
                .containsExactly("africa", "999,999.99", "3", "1.50");
        server.markRestored("restored from checkpoint 41", nowMs - 12 * 60_000L);
        browser.await("the marker", () -> markerPixels("revenue_chart") > 20, true);

        browser.resize(1280, 1600);
        browser.screenshot("dashboard-dark");
        browser.open(base + "/?theme=light");
        awaitLive();
        browser.screenshot("dashboard-light");
        browser.resize(390, 844);
        browser.screenshot("dashboard-phone");
        assertThat(browser.script("return document.documentElement.scrollWidth"))
                .isEqualTo(browser.script("return document.documentElement.clientWidth"));
    }

    @Test
    void widgetOptionsChangeWhatIsRendered() {
        browser.open(base + "/");
        awaitLive();

        // Stat: no thousands separators, and an alert said in words, not by color alone.
        assertThat(browser.text(card("rejected") + " .stat-number")).isEqualTo("1234");
        assertThat(browser.text(card("rejected") + " .alert")).isEqualTo("▲ Alert: above 100");
        assertThat(browser.find(card("rejected")).getAttribute("class")).contains("card-alert");
        server.accept(REJECTED.set(7, nowMs));
        browser.await(
                "the alert gone",
                () -> browser.find(card("rejected") + " .alert").isDisplayed(),
                false);

        // Gauge: the arc takes the color of the zone the value is in.
        assertThat(gaugeColor()).isEqualTo("#ff9800");
        server.accept(ORDERS_PER_SEC.set(170, nowMs));
        browser.await("the red zone", this::gaugeColor, "#f44336");
        server.accept(ORDERS_PER_SEC.set(42, nowMs));
        browser.await("the base color", this::gaugeColor, "#4caf50");
        server.accept(ORDERS_PER_SEC.set(190, nowMs));
        browser.await(
                "the gauge alert",
                () -> browser.text(card("orders_per_sec") + " .alert"),
                "▲ Alert: above 180.0 /s");
        assertThat(browser.find(card("orders_per_sec") + " svg").getAttribute("aria-label"))
                .isEqualTo("Orders per second: 190.0 /s, range 0.0 to 200.0, alert above");

        // Chart: an area chart fills below its line, a line chart does not.
        long areaPixels = paintedPixels("revenue_chart");
        long linePixels = paintedPixels("orders_chart");
        assertThat(areaPixels).isGreaterThan(4 * linePixels);

        // Table: initial sort from the spec, then a click on a header re-sorts.
        assertThat(rowKeys("by_region")).containsExactly("us_east", "us_west", "europe", "asia");
        browser.find(card("by_region") + " button.sort[data-column='region']").click();
        assertThat(rowKeys("by_region")).containsExactly("asia", "europe", "us_east", "us_west");
        browser.find(card("by_region") + " button.sort[data-column='region']").click();
        assertThat(rowKeys("by_region")).containsExactly("us_west", "us_east", "europe", "asia");
        browser.find(card("by_region") + " button.sort[data-column='orders']").click();
        assertThat(rowKeys("by_region")).containsExactly("asia", "europe", "us_west", "us_east");

        // Keyed rows update in place and disappear on delete.
        server.accept(
                BY_REGION.upsert(
                        "europe", EcommerceLikeDashboard.row("1.00", 9_999, "0.01"), nowMs));
        server.accept(BY_REGION.delete("asia", nowMs));
        browser.await(
                "asia deleted",
                () -> rowKeys("by_region"),
                List.of("europe", "us_west", "us_east"));
        assertThat(cells("by_region", "europe")).containsExactly("europe", "1.00", "9,999", "0.01");
    }

    @Test
    void chartWithASinglePointShowsItOnAReadableTimeAxis() {
        server.restoreState(DashboardState.empty());
        server.accept(REVENUE_CHART.point(nowMs - nowMs % 60_000L, new BigDecimal("310.25")));

        browser.open(base + "/embed/revenue_chart");
        awaitLive();

        assertThat(browser.find(card("revenue_chart") + " .chart-body").getAttribute("aria-label"))
                .startsWith("Revenue per minute: latest 310.25 $ at ")
                .endsWith("1 point");
        assertThat(paintedPixels("revenue_chart")).isPositive();
        browser.resize(640, 480);
        browser.screenshot("embed-chart-single-point");
    }

    @Test
    void embedShowsOneWidgetOnlyAndTakesThemeAndHeight() {
        browser.resize(480, 420);
        browser.open(base + "/embed/orders_per_sec?theme=light");
        awaitLive();

        assertThat(browser.findAll("[data-widget]")).hasSize(1);
        assertThat(browser.find("[data-widget]").getAttribute("data-widget"))
                .isEqualTo("orders_per_sec");
        assertThat(browser.script("return document.documentElement.dataset.theme"))
                .isEqualTo("light");
        assertThat(browser.find("body").getCssValue("background-color"))
                .isEqualTo("rgba(243, 245, 248, 1)");
        assertThat(browser.find(".topbar").isDisplayed()).isFalse();
        browser.screenshot("embed-gauge-light");

        browser.open(base + "/embed/revenue?height=150");
        awaitLive();
        assertThat(browser.find("[data-widget=revenue]").getSize().getHeight()).isEqualTo(150);
        assertThat(browser.find("body").getCssValue("background-color"))
                .isEqualTo("rgba(14, 19, 28, 1)");

        browser.resize(1280, 800);
        browser.open(base + "/embed");
        browser.await("the embed index", () -> browser.findAll(".embed-item").size(), 17);
        assertThat(browser.text("[data-widget=revenue_chart] .embed-snippet"))
                .isEqualTo(
                        "<iframe src=\""
                                + base
                                + "/embed/revenue_chart\" title=\"Revenue per"
                                + " minute\" width=\"480\" height=\"300\" style=\"border:0\"></iframe>");
        browser.screenshot("embed-index");
    }

    @Test
    void serverDefaultThemeAppliesUnlessTheUrlNamesOne() {
        try (DashboardServer light =
                DashboardServer.builder()
                        .dashboard(EcommerceLikeDashboard.dashboard())
                        .port(0)
                        .bindAddress("127.0.0.1")
                        .defaultTheme("light")
                        .build()
                        .start()) {
            String lightBase = "http://127.0.0.1:" + light.port();

            browser.open(lightBase + "/");
            awaitLive();
            Object byDefault = browser.script("return document.documentElement.dataset.theme");
            browser.open(lightBase + "/?theme=dark");
            awaitLive();
            Object byUrl = browser.script("return document.documentElement.dataset.theme");

            assertThat(byDefault).isEqualTo("light");
            assertThat(byUrl).isEqualTo("dark");
        }
    }

    private void awaitLive() {
        browser.await(
                "the page to be live",
                () -> browser.script("return document.getElementById('status').textContent"),
                "live");
    }

    private static String card(String id) {
        return "[data-widget='" + id + "']";
    }

    private String gaugeColor() {
        return browser.find(card("orders_per_sec") + " .gauge-arc").getAttribute("stroke");
    }

    @SuppressWarnings("unchecked")
    private List<String> rowKeys(String tableId) {
        return (List<String>)
                browser.script(
                        "return Array.from(arguments[0].querySelectorAll('tbody tr'))"
                                + ".filter(tr => !tr.hidden).map(tr => tr.dataset.key)",
                        browser.find(card(tableId)));
    }

    private List<String> cells(String tableId, String key) {
        WebElement row = browser.find(card(tableId) + " tbody tr[data-key='" + key + "']");
        return row.findElements(org.openqa.selenium.By.cssSelector("th, td")).stream()
                .map(WebElement::getText)
                .toList();
    }

    /** Pixels of the chart's canvas that are not transparent. */
    private long paintedPixels(String chartId) {
        return ((Number)
                        browser.script(
                                "const c = arguments[0].querySelector('canvas');"
                                        + "const d = c.getContext('2d').getImageData(0, 0,"
                                        + " c.width, c.height).data; let n = 0;"
                                        + "for (let i = 3; i < d.length; i += 4) { if (d[i] > 0)"
                                        + " n++; } return n;",
                                browser.find(card(chartId))))
                .longValue();
    }

    /** Pixels of the chart's canvas in the theme's marker color. */
    private long markerPixels(String chartId) {
        return ((Number)
                        browser.script(
                                "const c = arguments[0].querySelector('canvas');"
                                        + "const d = c.getContext('2d').getImageData(0, 0,"
                                        + " c.width, c.height).data; let n = 0;"
                                        + "for (let i = 0; i < d.length; i += 4) {"
                                        + " if (Math.abs(d[i] - 224) < 8 && Math.abs(d[i + 1] -"
                                        + " 169) < 8 && Math.abs(d[i + 2] - 59) < 8 && d[i + 3] >"
                                        + " 200) n++; } return n;",
                                browser.find(card(chartId))))
                .longValue();
    }

    private static String format(BigDecimal value, int decimals, boolean grouping) {
        String pattern =
                (grouping ? "#,##0" : "0") + (decimals > 0 ? "." + "0".repeat(decimals) : "");
        return new DecimalFormat(pattern, DecimalFormatSymbols.getInstance(Locale.US))
                .format(value);
    }
}
