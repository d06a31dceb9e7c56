package io.streamviz.dashboard.flink;

import io.streamviz.dashboard.history.HistoryRecord;
import java.io.IOException;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.connector.jdbc.core.datastream.sink.JdbcSink;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Flink's at-least-once {@link JdbcSink}, with one difference: closing a writer whose last flush
 * failed does not throw.
 *
 * <p>Why: the JDBC writer rethrows its stored flush failure from {@code close()}, which Flink runs
 * while it cleans up the already failed task; a failure there is treated as fatal and shuts the
 * whole TaskManager down, taking the embedded dashboard server with it. The failure itself has
 * already failed the task (and so restarted the job from its checkpoint) by then, so here it is
 * only logged. At-least-once needs neither writer state nor committables, so the writer is used as
 * a plain {@link SinkWriter}.
 */
final class HistoryJdbcSink implements Sink<HistoryRecord> {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(HistoryJdbcSink.class);

    private final JdbcSink<HistoryRecord> delegate;
    private final String table;

    HistoryJdbcSink(JdbcSink<HistoryRecord> delegate, String table) {
        this.delegate = delegate;
        this.table = table;
    }

    @Override
    public SinkWriter<HistoryRecord> createWriter(WriterInitContext context) throws IOException {
        SinkWriter<HistoryRecord> writer = delegate.createWriter(context);
        return new SinkWriter<>() {
            @Override
            public void write(HistoryRecord record, Context writeContext)
                    throws IOException, InterruptedException {
                writer.write(record, writeContext);
            }

            @Override
            public void flush(boolean endOfInput) throws IOException, InterruptedException {
                writer.flush(endOfInput);
            }

            @Override
            public void close() {
                try {
                    writer.close();
                } catch (Exception e) {
                    LOG.warn(
                            "History rows for {} that were not written are written again after"
                                    + " the restore: {}",
                            table,
                            e.toString());
                }
            }
        };
    }
}
