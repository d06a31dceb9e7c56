package io.streamviz.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class TokenAuthTest {

    private static final String TOKEN = "s3cret-t0ken";

    private DashboardServer server;
    private HttpProbe http;

    @BeforeEach
    void startServer() {
        server =
                DashboardServer.builder()
                        .dashboard(TestDashboards.shop())
                        .port(0)
                        .bindAddress("127.0.0.1")
                        .token(TOKEN)
                        .build()
                        .start();
        http = new HttpProbe(server.port());
    }

    @AfterEach
    void closeServer() {
        server.close();
    }

    @Test
    void requestWithoutTokenAnswers401WithAJsonError() {
        HttpResponse<String> response = http.get("/api/snapshot");

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.headers().firstValue("WWW-Authenticate")).contains("Bearer");
        assertThat(Json.parse(response.body()).get("error").asText())
                .isEqualTo("missing or wrong token");
    }

    @Test
    void everyRouteButHealthzNeedsTheToken() {
        for (String path : new String[] {"/", "/embed/revenue", "/api/widgets", "/assets/app.js"}) {
            assertThat(http.get(path).statusCode()).as(path).isEqualTo(401);
        }
        assertThat(http.get("/healthz").statusCode()).isEqualTo(200);
    }

    @Test
    void wrongTokenAnswers401() {
        assertThat(http.get("/api/snapshot", "Authorization", "Bearer nope").statusCode())
                .isEqualTo(401);
        assertThat(http.get("/api/snapshot?token=nope").statusCode()).isEqualTo(401);
    }

    @Test
    void bearerHeaderOrQueryTokenIsAccepted() {
        assertThat(http.get("/api/snapshot", "Authorization", "Bearer " + TOKEN).statusCode())
                .isEqualTo(200);
        assertThat(http.get("/?token=" + TOKEN).statusCode()).isEqualTo(200);
    }

    @Test
    void pageLoadedWithTheTokenPassesItOnToItsAssets() {
        String page = http.get("/embed/revenue?token=" + TOKEN).body();
        List<String> assets = new ArrayList<>();
        Matcher reference = Pattern.compile("(?:src|href)=\"(/assets/[^\"]+)\"").matcher(page);
        while (reference.find()) {
            assets.add(reference.group(1));
        }

        assertThat(assets)
                .hasSize(4)
                .allSatisfy(url -> assertThat(url).endsWith("?token=" + TOKEN));
        for (String asset : assets) {
            assertThat(http.get(asset).statusCode()).as(asset).isEqualTo(200);
        }
    }

    @Test
    void webSocketNeedsTheTokenInItsQuery() {
        assertThatThrownBy(() -> WsTestClient.connect(server.port()))
                .rootCause()
                .hasMessageContaining("401");

        try (WsTestClient viewer = WsTestClient.connect(server.port(), "?token=" + TOKEN)) {
            assertThat(viewer.next(Duration.ofSeconds(5)).get("type").asText())
                    .isEqualTo("snapshot");
        }
    }
}
