package io.streamviz.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.streamviz.dashboard.history.HistorySchema;
import io.streamviz.testing.DashboardClient;
import io.streamviz.testing.FreePorts;
import io.streamviz.testing.LauncherProcess;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code serve} reads the history the jobs wrote: a fresh standalone server shows the stored
 * figures before any job publishes, and answers history queries from them.
 */
class ServeHistoryTest {
    @TempDir Path dataDir;

    @Test
    void aFreshStandaloneServerShowsTheStoredHistory() throws Exception {
        String jdbcUrl = "jdbc:duckdb:" + dataDir.resolve("history.duckdb");
        long storedAtMs = System.currentTimeMillis() - 60_000;
        try (Connection connection = DriverManager.getConnection(jdbcUrl)) {
            HistorySchema.ensure(connection, jdbcUrl);
            try (PreparedStatement insert =
                    connection.prepareStatement(
                            "INSERT INTO metrics (widget_id, value, \"timestamp\", metadata)"
                                    + " VALUES (?, ?, ?, ?)")) {
                insert.setString(1, "revenue");
                insert.setBigDecimal(2, new BigDecimal("1234.50"));
                insert.setLong(3, storedAtMs);
                insert.setString(4, null);
                insert.executeUpdate();
            }
        }
        int port = FreePorts.next();
        DashboardClient dashboard = new DashboardClient(port);

        try (LauncherProcess serve =
                LauncherProcess.start(
                        dataDir.resolve("serve.log"),
                        "serve",
                        "--port",
                        Integer.toString(port),
                        "--data-dir",
                        dataDir.toString(),
                        "--jdbc-url",
                        jdbcUrl)) {
            serve.awaitLine("StreamViz serve ready", Duration.ofSeconds(60));

            assertThat(dashboard.statValue("revenue")).isEqualByComparingTo("1234.50");
            JsonNode history =
                    DashboardClient.json(
                            dashboard.get(
                                    "/api/history/revenue?from=0&to="
                                            + System.currentTimeMillis()));
            assertThat(history.toString()).contains("1234.5");
            assertThat(serve.stop(Duration.ofSeconds(30))).isZero();
        }
    }
}
