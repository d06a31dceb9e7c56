package io.streamviz.dashboard.flink;

import io.streamviz.dashboard.history.HistoryRecord;
import io.streamviz.dashboard.history.HistoryStore;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import org.apache.flink.connector.jdbc.datasource.statements.JdbcQueryStatement;

/**
 * The upserts of the history sinks, one per table. Keyed by widget and timestamp (and row key), so
 * a replay after a restore overwrites what the failed attempt wrote instead of adding rows. The
 * same SQL runs on DuckDB and PostgreSQL; every value is a bound parameter.
 */
final class HistoryStatements {
    private HistoryStatements() {}

    static final class Metrics implements JdbcQueryStatement<HistoryRecord> {
        private static final long serialVersionUID = 1L;

        @Override
        public String query() {
            return "INSERT INTO metrics (widget_id, value, \"timestamp\", metadata)"
                    + " VALUES (?, ?, ?, ?) ON CONFLICT (widget_id, \"timestamp\")"
                    + " DO UPDATE SET value = excluded.value, metadata = excluded.metadata";
        }

        @Override
        public void statement(PreparedStatement statement, HistoryRecord record)
                throws SQLException {
            statement.setString(1, record.widgetId);
            statement.setBigDecimal(2, record.value);
            statement.setLong(3, record.timestampMs);
            statement.setString(4, HistoryStore.metadataOf(record.value));
        }
    }

    static final class ChartPoints implements JdbcQueryStatement<HistoryRecord> {
        private static final long serialVersionUID = 1L;

        @Override
        public String query() {
            // recorded_at_ms keeps the first write: since then the point was on the dashboard.
            return "INSERT INTO chart_points (widget_id, value, \"timestamp\", recorded_at_ms)"
                    + " VALUES (?, ?, ?, ?) ON CONFLICT (widget_id, \"timestamp\")"
                    + " DO UPDATE SET value = excluded.value";
        }

        @Override
        public void statement(PreparedStatement statement, HistoryRecord record)
                throws SQLException {
            statement.setString(1, record.widgetId);
            statement.setBigDecimal(2, record.value);
            statement.setLong(3, record.timestampMs);
            statement.setLong(4, record.recordedAtMs);
        }
    }

    static final class TableRows implements JdbcQueryStatement<HistoryRecord> {
        private static final long serialVersionUID = 1L;

        @Override
        public String query() {
            return "INSERT INTO table_rows (widget_id, row_key, \"timestamp\", row_json, deleted)"
                    + " VALUES (?, ?, ?, ?, ?) ON CONFLICT (widget_id, row_key, \"timestamp\")"
                    + " DO UPDATE SET row_json = excluded.row_json, deleted = excluded.deleted";
        }

        @Override
        public void statement(PreparedStatement statement, HistoryRecord record)
                throws SQLException {
            statement.setString(1, record.widgetId);
            statement.setString(2, record.rowKey);
            statement.setLong(3, record.timestampMs);
            if (record.rowJson == null) {
                statement.setNull(4, Types.VARCHAR);
            } else {
                statement.setString(4, record.rowJson);
            }
            statement.setBoolean(5, record.deleted);
        }
    }
}
