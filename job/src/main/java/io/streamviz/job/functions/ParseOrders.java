package io.streamviz.job.functions;

import io.streamviz.job.records.Order;
import io.streamviz.job.records.RejectedRecord;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Turns each Kafka record into an {@link Order}, or into a {@link RejectedRecord} on the {@link
 * #REJECTED} side output. A bad record never fails the job.
 */
public class ParseOrders extends ProcessFunction<String, Order> {
    public static final OutputTag<RejectedRecord> REJECTED = new OutputTag<>("rejected-records") {};

    private final OrderParser parser = new OrderParser();
    private transient Counter ordersParsed;
    private transient Counter rejectedRecords;

    @Override
    public void open(OpenContext openContext) {
        ordersParsed = getRuntimeContext().getMetricGroup().counter("ordersParsed");
        rejectedRecords = getRuntimeContext().getMetricGroup().counter("rejectedRecords");
    }

    @Override
    public void processElement(String text, Context ctx, Collector<Order> out) {
        Order order;
        try {
            order = parser.parse(text);
        } catch (InvalidOrderException e) {
            rejectedRecords.inc();
            ctx.output(REJECTED, new RejectedRecord(e.getMessage(), text == null ? "" : text));
            return;
        }
        ordersParsed.inc();
        out.collect(order);
    }
}
