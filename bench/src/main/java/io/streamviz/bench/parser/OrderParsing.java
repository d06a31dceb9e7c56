package io.streamviz.bench.parser;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamviz.job.functions.InvalidOrderException;
import io.streamviz.job.functions.OrderParser;
import io.streamviz.job.records.Order;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/**
 * JMH: the job's streaming order parser against the obvious alternative, Jackson's tree model
 * ({@code readTree}, then the same fields and checks). Both read the same order text.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class OrderParsing {
    static final String ORDER =
            "{\"order_id\":\"o-1764770000-123456\",\"amount\":123.45,\"region\":\"europe\","
                    + "\"category\":\"books\",\"customer_id\":\"c-321\",\"ts\":1764770000000}";

    private static final ObjectMapper TREE_READER = new ObjectMapper();
    private final OrderParser parser = new OrderParser();

    @Benchmark
    public Order streamingParser() throws InvalidOrderException {
        return parser.parse(ORDER);
    }

    @Benchmark
    public Order jacksonTree() throws Exception {
        JsonNode node = TREE_READER.readTree(ORDER);
        return new Order(
                node.get("order_id").textValue(),
                node.get("amount").decimalValue().movePointRight(2).longValueExact(),
                node.get("region").textValue(),
                node.get("category").textValue(),
                node.get("customer_id").textValue(),
                node.get("ts").longValue());
    }
}
