package io.streamviz.dashboard.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;

/**
 * The page and its scripts and styles, read from the classpath once when the server is built so
 * that a missing resource fails at startup rather than in a viewer's browser. uPlot comes from its
 * WebJar; nothing is loaded from elsewhere, so the page works offline.
 */
final class StaticAssets {

    /** Keep in step with the uplot WebJar version in the parent pom. */
    static final String UPLOT_VERSION = "1.6.30";

    private static final String WEB = "io/streamviz/dashboard/web/";
    private static final String UPLOT =
            "META-INF/resources/webjars/uplot/" + UPLOT_VERSION + "/dist/";

    /** Where index.html puts the query of its asset URLs; URL-encoding makes it safe there. */
    private static final String ASSET_QUERY_PLACEHOLDER = "{{assetQuery}}";

    /** Page settings; their values are a fixed word and a number, so they need no escaping. */
    private static final String THEME_PLACEHOLDER = "{{theme}}";

    private static final String STALE_AFTER_PLACEHOLDER = "{{staleAfterMs}}";

    private static final String HTML = "text/html; charset=utf-8";
    private static final String JS = "text/javascript; charset=utf-8";
    private static final String CSS = "text/css; charset=utf-8";

    /** Our own files change with each build: revalidate. uPlot's path carries its version. */
    private static final String REVALIDATE = "no-cache";

    private static final String IMMUTABLE = "public, max-age=31536000, immutable";

    record Asset(byte[] bytes, String contentType, String cacheControl) {}

    private final Asset page;
    private final Map<String, Asset> byPath;

    private StaticAssets(Asset page, Map<String, Asset> byPath) {
        this.page = page;
        this.byPath = byPath;
    }

    /**
     * @param token the server's token, or null. A browser sends no header when it loads a page's
     *     scripts and styles, so with a token every asset URL in the page carries it in its query,
     *     as the page's own URL did.
     */
    static StaticAssets load(String token, PageSettings settings) {
        String uplotPath = "/assets/uplot/" + UPLOT_VERSION + "/";
        Asset template = read(WEB + "index.html", HTML, REVALIDATE);
        String assetQuery =
                token == null ? "" : "?token=" + URLEncoder.encode(token, StandardCharsets.UTF_8);
        String page =
                new String(template.bytes(), StandardCharsets.UTF_8)
                        .replace(ASSET_QUERY_PLACEHOLDER, assetQuery)
                        .replace(THEME_PLACEHOLDER, settings.defaultTheme())
                        .replace(STALE_AFTER_PLACEHOLDER, Long.toString(settings.staleAfterMs()));
        return new StaticAssets(
                new Asset(page.getBytes(StandardCharsets.UTF_8), HTML, REVALIDATE),
                Map.of(
                        "/assets/app.js",
                        read(WEB + "app.js", JS, REVALIDATE),
                        "/assets/app.css",
                        read(WEB + "app.css", CSS, REVALIDATE),
                        uplotPath + "uPlot.iife.min.js",
                        read(UPLOT + "uPlot.iife.min.js", JS, IMMUTABLE),
                        uplotPath + "uPlot.min.css",
                        read(UPLOT + "uPlot.min.css", CSS, IMMUTABLE)));
    }

    /** The dashboard page; embed pages are the same page, which reads its path. */
    Asset page() {
        return page;
    }

    Optional<Asset> get(String path) {
        return Optional.ofNullable(byPath.get(path));
    }

    private static Asset read(String resource, String contentType, String cacheControl) {
        try (InputStream in = StaticAssets.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException(
                        "dashboard resource " + resource + " is missing from the classpath");
            }
            return new Asset(in.readAllBytes(), contentType, cacheControl);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read dashboard resource " + resource, e);
        }
    }
}
