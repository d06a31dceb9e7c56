package io.streamviz.dashboard.history;

import java.io.Serializable;
import java.time.Duration;

/**
 * Where and how the dashboard's history is kept.
 *
 * @param jdbcUrl {@code jdbc:duckdb:<file>} or {@code jdbc:postgresql://…}
 * @param sampleInterval at most one row per widget (per chart point, per table row) per interval
 * @param retention rows older than this are deleted
 */
public record HistoryOptions(String jdbcUrl, Duration sampleInterval, Duration retention)
        implements Serializable {

    public static final Duration DEFAULT_SAMPLE_INTERVAL = Duration.ofSeconds(1);
    public static final Duration DEFAULT_RETENTION = Duration.ofDays(7);

    public HistoryOptions {
        HistoryDialect.of(jdbcUrl);
        if (sampleInterval == null || sampleInterval.toMillis() < 1) {
            throw new IllegalArgumentException(
                    "history interval must be at least 1 ms, was " + sampleInterval);
        }
        if (retention == null || retention.toMillis() < 1) {
            throw new IllegalArgumentException("retention must be positive, was " + retention);
        }
    }

    /** The URL without its parameters, which may hold a password; for log messages. */
    public static String redacted(String jdbcUrl) {
        int query = jdbcUrl.indexOf('?');
        return query < 0 ? jdbcUrl : jdbcUrl.substring(0, query) + "?…";
    }
}
