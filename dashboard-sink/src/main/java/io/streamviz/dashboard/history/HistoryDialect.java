package io.streamviz.dashboard.history;

/** The databases the history can live in, told apart by their JDBC URL. */
public enum HistoryDialect {
    /** Embedded, one file; one writing process per file. The default for local runs. */
    DUCKDB("org.duckdb.DuckDBDriver", "DECIMAL(38, 10)"),
    /** For clusters; TimescaleDB hypertables where that extension is installed. */
    POSTGRESQL("org.postgresql.Driver", "NUMERIC");

    private final String driverClass;
    private final String decimalType;

    HistoryDialect(String driverClass, String decimalType) {
        this.driverClass = driverClass;
        this.decimalType = decimalType;
    }

    /**
     * @throws IllegalArgumentException if the URL is neither {@code jdbc:duckdb:} nor {@code
     *     jdbc:postgresql:}
     */
    public static HistoryDialect of(String jdbcUrl) {
        if (jdbcUrl != null && jdbcUrl.startsWith("jdbc:duckdb:")) {
            return DUCKDB;
        }
        if (jdbcUrl != null && jdbcUrl.startsWith("jdbc:postgresql:")) {
            return POSTGRESQL;
        }
        throw new IllegalArgumentException(
                "history database URL must start with jdbc:duckdb: or jdbc:postgresql:, was '"
                        + jdbcUrl
                        + "'");
    }

    public String driverClass() {
        return driverClass;
    }

    /**
     * The column type of values. PostgreSQL's unconstrained NUMERIC keeps every digit and the
     * scale; DuckDB's widest DECIMAL keeps 10 decimal places (more are rounded half-even by the
     * sampler before writing, see {@link HistoryRecord#MAX_SCALE}), and {@code metrics.metadata}
     * records each value's scale so that {@code 410.00} reads back as {@code 410.00}.
     */
    String decimalType() {
        return decimalType;
    }
}
