package io.streamviz.dashboard.flink;

import io.streamviz.dashboard.history.HistoryDialect;
import io.streamviz.dashboard.history.HistoryOptions;
import io.streamviz.dashboard.history.HistorySchema;
import java.sql.Connection;
import java.sql.SQLException;
import org.apache.flink.connector.jdbc.JdbcConnectionOptions;
import org.apache.flink.connector.jdbc.datasource.connections.JdbcConnectionProvider;
import org.apache.flink.connector.jdbc.datasource.connections.SimpleJdbcConnectionProvider;

/**
 * Flink's plain connection provider, plus: the history schema is created on every new connection
 * where it is missing, and a failure to connect names the database (without its parameters, which
 * may hold a password).
 *
 * <p>With DuckDB, duckdb_jdbc hands every connection of this JVM to one file the same database
 * instance, so the sink shares the file with the dashboard server in the same process.
 */
final class HistoryConnectionProvider implements JdbcConnectionProvider {
    private static final long serialVersionUID = 1L;

    private final String jdbcUrl;
    private final SimpleJdbcConnectionProvider delegate;

    HistoryConnectionProvider(String jdbcUrl) {
        this.jdbcUrl = jdbcUrl;
        this.delegate =
                new SimpleJdbcConnectionProvider(
                        new JdbcConnectionOptions.JdbcConnectionOptionsBuilder()
                                .withUrl(jdbcUrl)
                                .withDriverName(HistoryDialect.of(jdbcUrl).driverClass())
                                .withConnectionCheckTimeoutSeconds(5)
                                .build());
    }

    @Override
    public Connection getConnection() {
        return delegate.getConnection();
    }

    @Override
    public boolean isConnectionValid() throws SQLException {
        return delegate.isConnectionValid();
    }

    @Override
    public Connection getOrEstablishConnection() throws SQLException, ClassNotFoundException {
        try {
            return withSchema(delegate.getOrEstablishConnection());
        } catch (SQLException e) {
            throw unavailable(e);
        }
    }

    @Override
    public void closeConnection() {
        delegate.closeConnection();
    }

    @Override
    public Connection reestablishConnection() throws SQLException, ClassNotFoundException {
        try {
            return withSchema(delegate.reestablishConnection());
        } catch (SQLException e) {
            throw unavailable(e);
        }
    }

    private Connection withSchema(Connection connection) throws SQLException {
        HistorySchema.ensure(connection, jdbcUrl);
        return connection;
    }

    private SQLException unavailable(SQLException cause) {
        return new SQLException(
                "history database "
                        + HistoryOptions.redacted(jdbcUrl)
                        + " is unavailable: "
                        + cause.getMessage(),
                cause.getSQLState(),
                cause);
    }
}
