package io.streamviz.job;

import io.streamviz.job.functions.DashboardFigures;
import io.streamviz.job.functions.DimensionTotalsFunction;
import io.streamviz.job.functions.FirstOrderPerCustomer;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.flink.api.common.state.StateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;

/**
 * The keyed state of {@link EcommerceJob}, by operator uid: each keyed operator's key type and the
 * state descriptors its function registers. The functions register exactly these descriptors, so
 * {@code savepoint check} compares a savepoint with the serializers the current build creates.
 *
 * <p>State that Flink or a connector owns (the Kafka source's splits, the sinks' writer state, the
 * timers) is not listed: its owner versions it.
 */
public final class JobStateLayout {
    public static final String REGION_TOTALS = "region-totals";
    public static final String CATEGORY_TOTALS = "category-totals";
    public static final String REJECTED_COUNT = "rejected-count";
    public static final String FIRST_ORDER_PER_CUSTOMER = "first-order-per-customer";
    public static final String CUSTOMER_COUNT = "customer-count";
    public static final String DASHBOARD_FIGURES = "dashboard-figures";
    public static final String DASHBOARD_SINK = "dashboard-sink";

    /** One keyed operator: its uid, key type, and the states its function registers. */
    public record KeyedOperator(
            String uid, TypeInformation<?> keyType, List<StateDescriptor<?, ?>> states) {
        public KeyedOperator {
            states = List.copyOf(states);
        }

        public Optional<StateDescriptor<?, ?>> state(String name) {
            return states.stream().filter(state -> state.getName().equals(name)).findFirst();
        }
    }

    private final Map<String, KeyedOperator> operators;

    private JobStateLayout(Map<String, KeyedOperator> operators) {
        this.operators = operators;
    }

    /** The layout of the job as this build creates it. */
    public static JobStateLayout current() {
        Map<String, KeyedOperator> operators = new LinkedHashMap<>();
        for (String uid : List.of(REGION_TOTALS, CATEGORY_TOTALS, CUSTOMER_COUNT, REJECTED_COUNT)) {
            operators.put(
                    uid,
                    new KeyedOperator(
                            uid, Types.STRING, DimensionTotalsFunction.stateDescriptors()));
        }
        operators.put(
                FIRST_ORDER_PER_CUSTOMER,
                new KeyedOperator(
                        FIRST_ORDER_PER_CUSTOMER,
                        Types.STRING,
                        FirstOrderPerCustomer.stateDescriptors()));
        operators.put(
                DASHBOARD_FIGURES,
                new KeyedOperator(
                        DASHBOARD_FIGURES, Types.STRING, DashboardFigures.stateDescriptors()));
        return new JobStateLayout(operators);
    }

    /**
     * This layout with {@code state} in place of the operator's state of the same name (or added):
     * how a changed build would look, for checking a savepoint against it.
     */
    public JobStateLayout withState(String uid, StateDescriptor<?, ?> state) {
        KeyedOperator operator = operators.get(uid);
        if (operator == null) {
            throw new IllegalArgumentException("no keyed operator with uid '" + uid + "'");
        }
        List<StateDescriptor<?, ?>> states = new ArrayList<>(operator.states());
        states.removeIf(existing -> existing.getName().equals(state.getName()));
        states.add(state);
        Map<String, KeyedOperator> changed = new LinkedHashMap<>(operators);
        changed.put(uid, new KeyedOperator(uid, operator.keyType(), states));
        return new JobStateLayout(changed);
    }

    public Optional<KeyedOperator> keyed(String uid) {
        return Optional.ofNullable(operators.get(uid));
    }

    public Collection<KeyedOperator> operators() {
        return operators.values();
    }
}
