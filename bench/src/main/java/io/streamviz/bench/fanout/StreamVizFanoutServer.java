package io.streamviz.bench.fanout;

import io.streamviz.dashboard.Dashboard;
import io.streamviz.dashboard.DashboardServer;
import io.streamviz.dashboard.StatWidget;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The StreamViz side of the fan-out benchmark, run as its own process: a {@link DashboardServer}
 * with {@code widgets} stat widgets, fed through {@link DashboardServer#accept}, the path a Flink
 * sink takes, by a publisher at the rate it is told. Same control protocol as {@code
 * bench/ws-reference/server.js}: prints {@code READY <port>}, then reads {@code rate <updates/s>},
 * {@code gc} and {@code quit} on stdin and answers each with {@code ok <command>}.
 *
 * <pre>
 * java -Xmx512m -cp … io.streamviz.bench.fanout.StreamVizFanoutServer 100
 * </pre>
 */
public final class StreamVizFanoutServer {
    private StreamVizFanoutServer() {}

    public static void main(String[] args) throws Exception {
        int widgetCount = args.length > 0 ? Integer.parseInt(args[0]) : 100;
        List<StatWidget> widgets = new ArrayList<>();
        Dashboard.Builder dashboard = Dashboard.builder("fan-out benchmark");
        for (int i = 0; i < widgetCount; i++) {
            StatWidget widget = StatWidget.builder("w" + i).build();
            widgets.add(widget);
            dashboard.widget(widget);
        }
        DashboardServer server =
                DashboardServer.builder()
                        .dashboard(dashboard.build())
                        .bindAddress("127.0.0.1")
                        .port(0)
                        .build()
                        .start();
        // Every widget has a value before viewers come, so each gets a full snapshot.
        long now = System.currentTimeMillis();
        for (StatWidget widget : widgets) {
            server.accept(widget.set(0, now));
        }
        Publisher publisher = new Publisher(server, widgets);
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
        timer.scheduleAtFixedRate(publisher::publishDue, 1, 1, TimeUnit.MILLISECONDS);
        System.out.println("READY " + server.port());

        BufferedReader commands =
                new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String line = commands.readLine(); line != null; line = commands.readLine()) {
            String[] words = line.trim().split("\\s+");
            if (words[0].equals("rate")) {
                publisher.rate(Integer.parseInt(words[1]));
            } else if (words[0].equals("gc")) {
                System.gc();
            } else if (words[0].equals("quit")) {
                break;
            }
            System.out.println("ok " + line.trim());
        }
        timer.shutdownNow();
        server.close();
        System.exit(0);
    }

    /** As the reference's publisher: what is due at the rate, a backlog over 100 ms skipped. */
    private static final class Publisher {
        private final DashboardServer server;
        private final List<StatWidget> widgets;

        /** Only touched under this object's lock. */
        private int rate;

        private long published;
        private long startedAtMs;

        Publisher(DashboardServer server, List<StatWidget> widgets) {
            this.server = server;
            this.widgets = widgets;
        }

        synchronized void rate(int updatesPerSecond) {
            rate = updatesPerSecond;
            published = 0;
            startedAtMs = System.currentTimeMillis();
        }

        synchronized void publishDue() {
            if (rate == 0) {
                return;
            }
            long due = (System.currentTimeMillis() - startedAtMs) * rate / 1000;
            if (due - published > rate / 10) {
                published = due - (rate + 9) / 10;
            }
            while (published < due) {
                long n = published++;
                StatWidget widget = widgets.get((int) (n % widgets.size()));
                server.accept(widget.set(BigDecimal.valueOf(n, 2), System.currentTimeMillis()));
            }
        }
    }
}
