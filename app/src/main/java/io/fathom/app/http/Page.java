package io.fathom.app.http;

import io.fathom.app.report.Histogram;
import io.fathom.app.report.SvgHistogram;
import io.fathom.schemas.FeatureDefinitions;
import io.fathom.schemas.ViewDefinition;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Objects;
import java.util.Optional;

/**
 * The built-in page: one HTML file, its stylesheet and its script, served from this jar (nothing
 * fetched from elsewhere), which poll the JSON API ({@code /v1/status}, {@code /v1/drift},
 * {@code /v1/alerts}) and draw each monitored feature's latest drift histogram from
 * {@code GET /page/histogram/{view}/{feature}} — the SVG of {@code fathom drift report}
 * ({@link SvgHistogram}).
 *
 * <pre>
 * GET /                                  the page (text/html)
 * GET /page/page.css, /page/page.js      its stylesheet and script
 * GET /page/histogram/{view}/{feature}   the latest drift report's histogram (image/svg+xml); 404 JSON for an
 *                                        unknown view or feature, or before the first report
 * </pre>
 *
 * The page's own files are open; its data (the API, the histograms) needs a token with {@link Scope#FEATURES}
 * when the server has tokens. The page then takes the token from its address's fragment ({@code /#token=...},
 * which browsers never send to the server: it reaches no access log), or asks for it when the API answers 401,
 * keeps it in the tab's {@code sessionStorage}, removes it from the address bar, and sends it as {@code
 * Authorization: Bearer} with every request.
 */
public final class Page {
    private static final String RESOURCES = "/io/fathom/app/page/";

    /** The latest drift histogram of a view's feature, if the monitor reported one. */
    @FunctionalInterface
    public interface Histograms {
        Optional<Histogram> latest(String view, String feature);
    }

    private final FeatureDefinitions definitions;
    private final Histograms histograms;
    private final byte[] index = resource("index.html");
    private final byte[] css = resource("page.css");
    private final byte[] js = resource("page.js");

    public Page(FeatureDefinitions definitions, Histograms histograms) {
        this.definitions = Objects.requireNonNull(definitions, "definitions");
        this.histograms = Objects.requireNonNull(histograms, "histograms");
    }

    /** Adds the page's routes to {@code server}. */
    public void addTo(HttpServer server) {
        server.get("/", ctx -> serve(ctx, "text/html; charset=utf-8", index));
        server.get("/page/page.css", ctx -> serve(ctx, "text/css; charset=utf-8", css));
        server.get("/page/page.js", ctx -> serve(ctx, "text/javascript; charset=utf-8", js));
        server.get("/page/histogram/{view}/{feature}", this::histogram, Scope.FEATURES);
    }

    private void histogram(Context ctx) {
        String viewName = ctx.pathParam("view");
        String feature = ctx.pathParam("feature");
        ViewDefinition view =
                definitions.view(viewName).orElseThrow(() -> new NotFoundException("unknown view: " + viewName));
        if (view.features().stream().noneMatch(f -> f.name().equals(feature))) {
            throw new NotFoundException("unknown feature: " + viewName + ":" + feature);
        }
        Histogram histogram = histograms
                .latest(viewName, feature)
                .orElseThrow(() -> new NotFoundException("no drift report with a histogram for " + viewName + ":"
                        + feature + " yet (the monitor reports when a window closes, once a baseline is published)"));
        ctx.header("Cache-Control", "no-store")
                .contentType("image/svg+xml; charset=utf-8")
                .result(SvgHistogram.document(histogram));
    }

    private static void serve(Context ctx, String contentType, byte[] body) {
        ctx.header("Cache-Control", "no-cache").contentType(contentType).result(body);
    }

    private static byte[] resource(String name) {
        try (InputStream in = Page.class.getResourceAsStream(RESOURCES + name)) {
            if (in == null) {
                throw new IllegalStateException(
                        "the page's " + name + " is missing from the class path (" + RESOURCES + name + ")");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the page's " + name, e);
        }
    }
}
