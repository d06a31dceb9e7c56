package io.streamviz.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class MetricsEndpointTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    private DashboardServer server;

    private DashboardServer start(String token) {
        server =
                DashboardServer.builder()
                        .dashboard(TestDashboards.shop())
                        .port(0)
                        .bindAddress("127.0.0.1")
                        .token(token)
                        .build()
                        .start();
        return server;
    }

    @AfterEach
    void closeServer() {
        server.close();
    }

    @Test
    void freshServerReportsEveryFamilyAtZero() {
        HttpResponse<String> response = new HttpProbe(start(null).port()).get("/metrics");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type"))
                .contains("text/plain; version=0.0.4; charset=utf-8");
        assertThat(response.body())
                .contains("# TYPE streamviz_viewers gauge\n")
                .contains("# TYPE streamviz_frames_sent_total counter\n")
                .contains("# TYPE streamviz_viewers_resynced_total counter\n")
                .contains("# TYPE streamviz_viewers_dropped_total counter\n")
                .contains("# TYPE streamviz_updates_received_total counter\n")
                .contains("# HELP streamviz_ingest_lag_seconds ")
                .contains("# TYPE streamviz_widget_last_update_age_seconds gauge\n");
        List<PrometheusText.Sample> samples = PrometheusText.parse(response.body());
        assertThat(PrometheusText.value(samples, "streamviz_viewers")).contains(0.0);
        assertThat(PrometheusText.value(samples, "streamviz_updates_received_total")).contains(0.0);
        // No update yet: a lag would be meaningless, so there is no sample.
        assertThat(PrometheusText.value(samples, "streamviz_ingest_lag_seconds")).isEmpty();
    }

    @Test
    void countsViewersUpdatesAndFramesAndReportsLagAndWidgetAges() {
        HttpProbe http = new HttpProbe(start(null).port());
        long eventTime = System.currentTimeMillis() - 3_000;
        try (WsTestClient viewer = WsTestClient.connect(server.port())) {
            viewer.next(TIMEOUT);
            server.accept(TestDashboards.REVENUE.set(12.5, eventTime));
            server.accept(TestDashboards.ORDERS.set(3, eventTime));
            viewer.awaitMessage(TIMEOUT, m -> m.get("type").asText().equals("update"), "an update");

            // The snapshot and at least one update; the second count lands when Netty's write
            // completes, which may be just after the viewer read the frame.
            List<PrometheusText.Sample> samples =
                    Poll.until(
                            TIMEOUT,
                            () -> PrometheusText.parse(http.get("/metrics").body()),
                            s ->
                                    PrometheusText.value(s, "streamviz_frames_sent_total")
                                                    .orElse(0.0)
                                            >= 2,
                            "two frames sent");

            assertThat(PrometheusText.value(samples, "streamviz_viewers")).contains(1.0);
            assertThat(PrometheusText.value(samples, "streamviz_updates_received_total"))
                    .contains(2.0);
            assertThat(PrometheusText.value(samples, "streamviz_ingest_lag_seconds").orElseThrow())
                    .isBetween(3.0, 60.0);
            assertThat(samples)
                    .filteredOn(s -> s.name().equals("streamviz_widget_last_update_age_seconds"))
                    .extracting(PrometheusText.Sample::labels)
                    .containsExactly(Map.of("widget", "revenue"), Map.of("widget", "orders"));
            assertThat(samples)
                    .filteredOn(s -> s.name().equals("streamviz_widget_last_update_age_seconds"))
                    .allSatisfy(s -> assertThat(s.value()).isBetween(0.0, 60.0));
        }
        Poll.until(
                TIMEOUT,
                () ->
                        PrometheusText.value(
                                PrometheusText.parse(http.get("/metrics").body()),
                                "streamviz_viewers"),
                v -> v.equals(java.util.Optional.of(0.0)),
                "the viewer to be gone");
    }

    @Test
    void metricsNeedTheTokenWhenTheServerHasOne() {
        HttpProbe http = new HttpProbe(start("s3cret").port());

        assertThat(http.get("/metrics").statusCode()).isEqualTo(401);
        assertThat(http.get("/metrics?token=wrong").statusCode()).isEqualTo(401);
        HttpResponse<String> authorized = http.get("/metrics", "Authorization", "Bearer s3cret");
        assertThat(authorized.statusCode()).isEqualTo(200);
        assertThat(
                        PrometheusText.value(
                                PrometheusText.parse(authorized.body()), "streamviz_viewers"))
                .contains(0.0);
    }
}
