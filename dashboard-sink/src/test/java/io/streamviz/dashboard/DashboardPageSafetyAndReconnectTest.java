package io.streamviz.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Hostile data and a server that goes away, in headless Chromium. */
class DashboardPageSafetyAndReconnectTest {

    private static final String HOSTILE = "<img src=x onerror=\"window.pwned=1\"></script>";

    private static Browser browser;

    @BeforeAll
    static void startBrowser() {
        browser = Browser.start();
    }

    @AfterAll
    static void stopBrowser() {
        browser.close();
    }

    @Test
    void titlesLabelsValuesAndIdsFromDataRenderAsTextAndRunNothing() {
        StatWidget stat =
                StatWidget.builder("stat").title("Revenue " + HOSTILE).unit(HOSTILE).build();
        TableWidget table =
                TableWidget.builder("table")
                        .title(HOSTILE)
                        .keyColumn("name")
                        .column("name", "Name " + HOSTILE, ColumnFormat.TEXT)
                        .build();
        Dashboard dashboard =
                Dashboard.builder("Shop " + HOSTILE).widget(stat).widget(table).build();
        try (DashboardServer server = start(dashboard, 0, Duration.ofSeconds(10))) {
            server.accept(stat.set(5, 1L));
            server.accept(table.upsert(HOSTILE, Map.of("name", HOSTILE), 1L));
            String base = "http://127.0.0.1:" + server.port();

            browser.open(base + "/");
            awaitStatus("live");

            assertThat(browser.text("#title")).isEqualTo("Shop " + HOSTILE);
            assertThat(browser.text("[data-widget=stat] .card-title"))
                    .isEqualTo(("Revenue " + HOSTILE).toUpperCase(java.util.Locale.ROOT));
            assertThat(browser.text("[data-widget=stat] .stat-unit")).isEqualTo(HOSTILE);
            assertThat(browser.text("[data-widget=table] thead th")).startsWith("Name " + HOSTILE);
            assertThat(browser.text("[data-widget=table] tbody th")).isEqualTo(HOSTILE);
            assertThat(browser.script("return document.title")).isEqualTo("Shop " + HOSTILE);
            assertNothingRan();

            browser.open(base + "/embed");
            browser.await("the embed index", () -> browser.findAll(".embed-item").size(), 2);
            assertThat(browser.text("[data-widget=table] .embed-snippet"))
                    .contains("title=\"&lt;img src=x onerror=&quot;window.pwned=1&quot;&gt;");
            assertNothingRan();
            assertThat(browser.consoleErrors()).isEmpty();

            browser.open(base + "/embed/%3Cimg%20src%3Dx%20onerror%3Dwindow.pwned%3D1%3E");
            assertThat(browser.find("body").getText())
                    .contains("unknown widget: <img src=x onerror=window.pwned=1>");
            assertNothingRan();
            // The 404 itself is logged by the browser; nothing else may be.
            assertThat(browser.consoleErrors())
                    .allMatch(line -> line.contains("the server responded with a status of 404"));
        }
    }

    @Test
    void pageShowsTheOutageThenResumesFromAFreshSnapshotWithoutDuplicates() {
        Dashboard dashboard = EcommerceLikeDashboard.dashboard();
        long nowMs = System.currentTimeMillis();
        DashboardServer first = start(dashboard, 0, Duration.ofSeconds(1));
        int port = first.port();
        DashboardState checkpoint;
        try {
            EcommerceLikeDashboard.feed(first, nowMs);
            browser.open("http://127.0.0.1:" + port + "/");
            awaitStatus("live");
            assertThat(rowKeys("by_region")).hasSize(4);
            browser.await(
                    "a stale badge",
                    () ->
                            browser.text("[data-widget=revenue] .card-age") != null
                                    && browser.text("[data-widget=revenue] .card-age")
                                            .endsWith("s old"),
                    true);
            checkpoint = first.snapshotState();
        } finally {
            first.close();
        }

        awaitStatus("disconnected");
        assertThat(browser.find("#banner").isDisplayed()).isTrue();
        assertThat(browser.text("#banner")).isEqualTo("Disconnected, reconnecting…");

        try (DashboardServer second = start(dashboard, port, Duration.ofSeconds(1))) {
            second.restoreState(checkpoint);
            second.accept(
                    EcommerceLikeDashboard.BY_REGION.upsert(
                            "africa", EcommerceLikeDashboard.row("1.00", 1, "1.00"), nowMs));
            second.accept(EcommerceLikeDashboard.REVENUE.set(new BigDecimal("2000000.00"), nowMs));

            awaitStatus("live");
            browser.await(
                    "the new revenue",
                    () -> browser.text("[data-widget=revenue] .stat-number"),
                    "2,000,000.00");

            assertThat(browser.find("#banner").isDisplayed()).isFalse();
            assertThat(rowKeys("by_region"))
                    .containsExactly("us_east", "us_west", "europe", "asia", "africa");
            assertThat(
                            browser.find("[data-widget=revenue_chart] .chart-body")
                                    .getAttribute("aria-label"))
                    .endsWith("30 points");
            assertThat(browser.findAll("[data-widget]")).hasSize(dashboard.widgets().size());
        }
        // Chromium logs each refused reconnection attempt; nothing else may be logged.
        assertThat(browser.consoleErrors())
                .allMatch(line -> line.contains("WebSocket connection to"));
    }

    private static DashboardServer start(Dashboard dashboard, int port, Duration staleAfter) {
        return DashboardServer.builder()
                .dashboard(dashboard)
                .port(port)
                .bindAddress("127.0.0.1")
                .staleAfter(staleAfter)
                .build()
                .start();
    }

    private static void awaitStatus(String status) {
        browser.await(
                "status " + status,
                () -> browser.script("return document.getElementById('status').textContent"),
                status);
    }

    private static void assertNothingRan() {
        assertThat(browser.script("return window.pwned === undefined")).isEqualTo(true);
        assertThat(browser.findAll("img")).isEmpty();
    }

    @SuppressWarnings("unchecked")
    private static List<String> rowKeys(String tableId) {
        return (List<String>)
                browser.script(
                        "return Array.from(document.querySelectorAll("
                                + "'[data-widget=' + arguments[0] + '] tbody tr'))"
                                + ".map(tr => tr.dataset.key)",
                        tableId);
    }
}
