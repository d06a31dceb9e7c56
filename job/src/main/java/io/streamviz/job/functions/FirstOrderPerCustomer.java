package io.streamviz.job.functions;

import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.StateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Passes on each customer's id once, at their first order, so that counting what comes out counts
 * customers. Its input is already thinned out by {@link PreAggregateOrders}, which passes on a
 * customer once per flush at most, and rarely again. Keyed by customer id; one flag of state per
 * customer ever seen (this grows with the number of customers: state TTL would bound it, at the
 * price of counting a returning customer again).
 *
 * <p>Added in 0.2.0: restored from a 0.1.0 savepoint it starts empty, and customers are counted
 * from their next order on.
 */
public class FirstOrderPerCustomer extends KeyedProcessFunction<String, String, String> {
    private transient ValueState<Boolean> seen;

    /** The state this function registers, for {@link io.streamviz.job.JobStateLayout}. */
    public static List<StateDescriptor<?, ?>> stateDescriptors() {
        return List.of(seenDescriptor());
    }

    private static ValueStateDescriptor<Boolean> seenDescriptor() {
        return new ValueStateDescriptor<>("seen", Types.BOOLEAN);
    }

    @Override
    public void open(OpenContext openContext) {
        seen = getRuntimeContext().getState(seenDescriptor());
    }

    @Override
    public void processElement(String customerId, Context ctx, Collector<String> out)
            throws Exception {
        if (seen.value() == null) {
            seen.update(true);
            out.collect(customerId);
        }
    }
}
