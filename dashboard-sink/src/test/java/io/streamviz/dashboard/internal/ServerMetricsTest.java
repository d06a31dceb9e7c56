package io.streamviz.dashboard.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ServerMetricsTest {

    @Test
    void labelValuesEscapeBackslashQuoteAndNewline() {
        assertThat(ServerMetrics.escapeLabelValue("a\"b\\c\nd")).isEqualTo("a\\\"b\\\\c\\nd");
        assertThat(ServerMetrics.escapeLabelValue("revenue")).isEqualTo("revenue");
    }

    /**
     * Widget ids are restricted to {@code [A-Za-z0-9_-]+} today; the rendering must stay one line
     * per sample even if that rule is ever relaxed.
     */
    @Test
    void anAwkwardWidgetIdStaysOnOneSampleLine() {
        Map<String, Long> ages = new LinkedHashMap<>();
        ages.put("x\"} 1\nevil_metric 2", 1_500L);

        String body = new String(new ServerMetrics().render(0, ages), StandardCharsets.UTF_8);

        assertThat(body)
                .contains(
                        "streamviz_widget_last_update_age_seconds{widget=\"x\\\"} 1\\nevil_metric"
                                + " 2\"} 1.5\n")
                .doesNotContain("\nevil_metric");
    }

    @Test
    void ingestLagIsMeasuredFromTheNewestUpdateTimestamp() {
        ServerMetrics metrics = new ServerMetrics();
        metrics.updateApplied(10_000);
        metrics.updateApplied(4_000);

        String body = new String(metrics.render(12_500, Map.of()), StandardCharsets.UTF_8);

        assertThat(body)
                .contains("streamviz_ingest_lag_seconds 2.5\n")
                .contains("streamviz_updates_received_total 2\n");
    }
}
