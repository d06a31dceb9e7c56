package io.streamviz.launcher;

import io.streamviz.job.CommandLine;
import java.io.PrintStream;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/** {@code produce}: writes generated orders to a Kafka topic until stopped or {@code --count}. */
final class ProduceCommand implements Launcher.Command {
    private static final Set<String> VALUE_OPTIONS =
            Set.of("bootstrap-servers", "topic", "rate", "count", "seed");

    private final PrintStream out;

    ProduceCommand(PrintStream out) {
        this.out = out;
    }

    @Override
    public String usage() {
        return String.join(
                "\n",
                "usage: streamviz produce [options]",
                "  --bootstrap-servers H:P  Kafka (KAFKA_BOOTSTRAP_SERVERS, localhost:9092)",
                "  --topic NAME             (orders)",
                "  --rate N                 orders per second (50)",
                "  --count N                stop after N orders (no limit)",
                "  --seed N                 random seed, for a repeatable stream (random)");
    }

    @Override
    public int run(List<String> args) throws Exception {
        CommandLine commandLine = Launcher.parse(args, VALUE_OPTIONS, Set.of());
        commandLine.requireNoArguments();
        String bootstrapServers =
                commandLine.string(
                        "bootstrap-servers", "KAFKA_BOOTSTRAP_SERVERS", "localhost:9092");
        String topic = commandLine.string("topic", null, "orders");
        int rate = commandLine.positiveInt("rate", 50);
        long count = commandLine.positiveInt("count", Integer.MAX_VALUE);
        long seed = commandLine.positiveInt("seed", (int) (System.nanoTime() & Integer.MAX_VALUE));

        OrderGenerator generator = new OrderGenerator(bootstrapServers, topic, rate, count, seed);
        try (ProcessLifetime lifetime = new ProcessLifetime()) {
            CompletableFuture<Void> producing = CompletableFuture.runAsync(generator);
            lifetime.own(
                    () -> {
                        generator.close();
                        producing.join();
                    });
            out.printf("Producing %d orders/s to %s, topic %s%n", rate, bootstrapServers, topic);
            out.flush();
            lifetime.awaitStopOrEnd(producing);
        }
        out.printf("Produced %d orders%n", generator.sent());
        return 0;
    }
}
