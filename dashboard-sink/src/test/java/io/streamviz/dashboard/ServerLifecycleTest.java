package io.streamviz.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class ServerLifecycleTest {

    private static DashboardServer.Builder localServer() {
        return DashboardServer.builder()
                .dashboard(TestDashboards.shop())
                .port(0)
                .bindAddress("127.0.0.1");
    }

    private static List<String> serverThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(Thread::isAlive)
                .map(Thread::getName)
                .filter(name -> name.startsWith("streamviz-dashboard"))
                .toList();
    }

    @Test
    void closeEndsEveryServerThreadAndDisconnectsViewers() {
        DashboardServer server = localServer().build().start();
        WsTestClient viewer = WsTestClient.connect(server.port());
        viewer.next(Duration.ofSeconds(5));

        server.close();

        assertThat(viewer.closedWithin(Duration.ofSeconds(5))).isTrue();
        Poll.until(
                Duration.ofSeconds(5),
                ServerLifecycleTest::serverThreads,
                List::isEmpty,
                "no server threads");
        server.close();
    }

    @Test
    void portReportsTheChosenPortOnlyOnceStarted() {
        try (DashboardServer server = localServer().build()) {
            assertThatThrownBy(server::port).hasMessage("dashboard server is not started");

            server.start();

            assertThat(server.port()).isPositive();
            assertThatThrownBy(server::start).hasMessage("dashboard server was already started");
        }
    }

    @Test
    void portInUseFailsStartNamingTheAddress() {
        try (DashboardServer first = localServer().build().start();
                DashboardServer second = localServer().port(first.port()).build()) {
            assertThatThrownBy(second::start)
                    .isInstanceOf(UncheckedIOException.class)
                    .hasMessageContaining("cannot listen on 127.0.0.1:" + first.port());
        }
    }

    @Test
    void builderNamesTheBadOption() {
        assertThatThrownBy(() -> DashboardServer.builder().build())
                .hasMessage("dashboard server: dashboard is required");
        assertThatThrownBy(() -> localServer().port(70_000).build())
                .hasMessage("dashboard server: port must be between 0 and 65535, was 70000");
        assertThatThrownBy(() -> localServer().token(" ").build())
                .hasMessageContaining("token must not be blank");
        assertThatThrownBy(() -> localServer().conflationInterval(Duration.ZERO).build())
                .hasMessage(
                        "dashboard server: conflationInterval must be between 1 ms and 10 s, was PT0S");
        assertThatThrownBy(() -> localServer().clientQueueLimit(1).build())
                .hasMessage(
                        "dashboard server: clientQueueLimit must be between 2 and 65536, was 1");
    }
}
