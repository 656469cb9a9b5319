package io.fathom.app.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fathom.monitor.drift.InvalidBaselineException;
import io.fathom.offline.NoEventHistoryException;
import io.fathom.offline.NoSnapshotsException;
import io.fathom.offline.PointInTimeJoin;
import io.fathom.online.BadRequestException;
import io.fathom.online.OnlineFeatureReader;
import io.fathom.online.OnlineResult;
import io.fathom.online.StoreUnavailableException;
import io.fathom.online.UnknownFeatureException;
import io.fathom.schemas.FeatureDefinitions;
import io.javalin.Javalin;
import io.javalin.http.ContentType;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.http.HandlerType;
import io.javalin.http.Header;
import io.javalin.http.HttpResponseException;
import io.javalin.json.JavalinJackson;
import io.javalin.router.EndpointNotFound;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;

/**
 * Fathom's HTTP API:
 *
 * <pre>
 * POST /v1/features/online      online features for a batch of entities (OnlineResult JSON)
 * POST /v1/features/historical  point-in-time features for entity rows (JSON, or Parquet on Accept)
 * POST /v1/baselines            publish a drift baseline (the JSON of `fathom baseline create`)
 * GET  /v1/views, /v1/drift, /v1/alerts   views and freshness, latest drift/bias reports, firing alerts
 * GET  /v1/status            per view freshness and event rates, dead letters by reason
 * GET  /, /page/...          the built-in page ({@link Page}), when the node adds it
 * GET  /healthz              the process is up
 * GET  /readyz               every component is running and the store answers (503 otherwise), and how each stands
 * GET  /metrics              Prometheus
 * </pre>
 *
 * With tokens ({@link ApiAuth}) every {@code /v1} route needs a bearer token holding its {@link Scope} (401 without
 * one, 403 outside its scope); {@code /healthz}, {@code /readyz} and the page's own files stay open, {@code /metrics}
 * as configured. With TLS ({@link TlsConfig}) the port answers HTTPS only.
 *
 * Errors are {@link ApiError} JSON: 400 malformed request, 404 unknown view or feature (and any path
 * no route matches, {@code "no such endpoint: GET /x"}), 503 store unreachable (answered fast: the
 * store's own timeouts bound the wait). Request latencies are timed by route; requests no route matched
 * share the route {@code unmatched}, so a scan of random paths cannot grow the metrics without bound.
 */
public final class HttpServer implements AutoCloseable {
    private final Javalin app;
    private final ApiAuth auth;
    private final String scheme;
    private final ObjectMapper json = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    private final OnlineResultJson onlineJson = new OnlineResultJson(json);
    /** The latency timers by route, method and status: looked up per request, registered once. */
    private final Map<TimerKey, Timer> timers = new ConcurrentHashMap<>();

    private record TimerKey(String route, String method, int status) {}

    /** Plain HTTP open to anyone, with a readiness that says nothing about components. */
    public HttpServer(
            String host,
            int port,
            OnlineFeatureReader reader,
            PointInTimeJoin join,
            FeatureDefinitions definitions,
            Map<String, Supplier<Object>> getRoutes,
            BooleanSupplier ready,
            PrometheusMeterRegistry registry) {
        this(
                HttpOptions.plain(host, port),
                reader,
                join,
                definitions,
                getRoutes,
                () -> Readiness.of(ready.getAsBoolean()),
                registry);
    }

    /**
     * @param getRoutes GET routes answered with the supplier's JSON; each needs {@link Scope#FEATURES}
     * @throws TlsConfig.InvalidTlsException if the TLS key material cannot be used
     */
    public HttpServer(
            HttpOptions options,
            OnlineFeatureReader reader,
            PointInTimeJoin join,
            FeatureDefinitions definitions,
            Map<String, Supplier<Object>> getRoutes,
            Supplier<Readiness> readiness,
            PrometheusMeterRegistry registry) {
        this.auth = options.auth();
        Optional<TlsConfig.Keys> keys = options.tls().map(TlsConfig::load);
        this.scheme = keys.isPresent() ? "https" : "http";
        this.app = Javalin.create(config -> {
            config.showJavalinBanner = false;
            config.jsonMapper(new JavalinJackson(json, false));
            config.requestLogger.http(
                    (ctx, millis) -> latency(registry, ctx).record((long) (millis * 1e6), TimeUnit.NANOSECONDS));
            keys.ifPresent(k -> config.jetty.addConnector((server, http) -> httpsConnector(server, http, options, k)));
        });
        app.beforeMatched(this::authorize);
        app.post("/v1/features/online", ctx -> online(ctx, reader), Scope.FEATURES);
        HistoricalEndpoint historical = new HistoricalEndpoint(join, definitions, json);
        app.post("/v1/features/historical", historical::handle, Scope.HISTORICAL);
        getRoutes.forEach((path, body) -> app.get(path, ctx -> ctx.json(body.get()), Scope.FEATURES));
        app.get("/healthz", ctx -> ctx.json(Map.of("status", "ok")));
        app.get("/readyz", ctx -> {
            Readiness now = readiness.get();
            ctx.status(now.ready() ? 200 : 503).json(now.body());
        });
        Handler metrics = ctx -> ctx.contentType("text/plain; version=0.0.4").result(registry.scrape());
        auth.metricsScope()
                .ifPresentOrElse(scope -> app.get("/metrics", metrics, scope), () -> app.get("/metrics", metrics));
        app.exception(BadRequestException.class, (e, ctx) -> error(ctx, 400, e.getMessage()));
        app.exception(UnknownFeatureException.class, (e, ctx) -> error(ctx, 404, e.getMessage()));
        app.exception(NoSnapshotsException.class, (e, ctx) -> error(ctx, 404, e.getMessage()));
        app.exception(NoEventHistoryException.class, (e, ctx) -> error(ctx, 404, e.getMessage()));
        app.exception(StoreUnavailableException.class, (e, ctx) -> error(ctx, 503, e.getMessage()));
        app.exception(InvalidBaselineException.class, (e, ctx) -> error(ctx, 400, e.getMessage()));
        app.exception(NotFoundException.class, (e, ctx) -> error(ctx, 404, e.getMessage()));
        app.exception(
                EndpointNotFound.class,
                (e, ctx) -> error(ctx, 404, "no such endpoint: " + ctx.method().name() + " " + ctx.path()));
        app.exception(HttpResponseException.class, (e, ctx) -> error(ctx, e.getStatus(), e.getMessage()));
        app.exception(
                JsonProcessingException.class,
                (e, ctx) -> error(ctx, 400, "malformed JSON body: " + e.getOriginalMessage()));
        app.exception(Exception.class, (e, ctx) -> error(ctx, 500, "internal error: " + e));
        app.start(options.host(), options.port());
    }

    /** Adds a POST route that needs {@code scope} (components add theirs, e.g. the monitor's {@code /v1/baselines}). */
    public void post(String path, Handler handler, Scope scope) {
        app.post(path, handler, Objects.requireNonNull(scope, "scope"));
    }

    /** Adds a GET route that needs {@code scope} (e.g. the page's histograms, {@link Page}). */
    public void get(String path, Handler handler, Scope scope) {
        app.get(path, handler, Objects.requireNonNull(scope, "scope"));
    }

    /**
     * Adds a GET route open to anyone (e.g. the page's own files, {@link Page}).
     *
     * @throws IllegalArgumentException for a {@code /v1} path: those need a scope
     */
    public void get(String path, Handler handler) {
        if (path.startsWith("/v1/")) {
            throw new IllegalArgumentException("API route " + path + " needs a scope");
        }
        app.get(path, handler);
    }

    /** {@code https} with TLS, else {@code http}. */
    public String scheme() {
        return scheme;
    }

    /** The port the server listens on (useful with port 0). */
    public int port() {
        return app.port();
    }

    private void online(Context ctx, OnlineFeatureReader reader) throws IOException {
        OnlineRequest request = onlineRequest(ctx);
        if (request.features() == null || request.entities() == null) {
            throw new BadRequestException("the body needs both \"features\" and \"entities\"");
        }
        OnlineResult result = reader.read(request.features(), request.entities());
        // Streamed by OnlineResultJson into the response, not ctx.json: the same JSON, without databind, an
        // intermediate String or a copy of the whole answer. Javalin's compression still decides on the first write.
        ctx.contentType(ContentType.APPLICATION_JSON);
        onlineJson.write(result, ctx.outputStream());
    }

    /**
     * The body of an online read. A UTF-8 body (the default) is parsed from its bytes, not decoded into a
     * {@code String} first (twice, as {@code ctx.body()} decodes on every call): bytes that are not UTF-8 are a
     * malformed body (400) rather than read as U+FFFD. A body in another declared charset is decoded by it.
     */
    private OnlineRequest onlineRequest(Context ctx) throws IOException {
        String charset = ctx.characterEncoding();
        boolean utf8 = charset == null || charset.equalsIgnoreCase("UTF-8") || charset.equalsIgnoreCase("UTF8");
        byte[] bytes = utf8 ? ctx.bodyAsBytes() : null;
        String text = utf8 ? null : ctx.body();
        if (utf8 ? isBlank(bytes) : text.isBlank()) {
            throw new BadRequestException(
                    "empty body: expected {\"features\": [\"view:feature\", ...], \"entities\": {\"key\": [...]}}");
        }
        return utf8 ? json.readValue(bytes, OnlineRequest.class) : json.readValue(text, OnlineRequest.class);
    }

    /** {@code String.isBlank} of the UTF-8 text, without decoding it unless a byte is not ASCII. */
    private static boolean isBlank(byte[] utf8) {
        for (byte b : utf8) {
            if (b < 0) {
                return new String(utf8, StandardCharsets.UTF_8).isBlank();
            }
            if (!Character.isWhitespace(b)) {
                return false;
            }
        }
        return true;
    }

    /**
     * With tokens configured, a route that needs a scope answers 401 (no token, or not one of them: {@code
     * WWW-Authenticate: Bearer}, RFC 6750) or 403 (a token without the scope) before its handler runs.
     */
    private void authorize(Context ctx) {
        if (!auth.enabled()) {
            return;
        }
        Optional<Scope> needed = ctx.routeRoles().stream()
                .filter(Scope.class::isInstance)
                .map(Scope.class::cast)
                .findFirst();
        if (needed.isEmpty()) {
            return;
        }
        String header = ctx.header(Header.AUTHORIZATION);
        Optional<ApiToken> token = auth.authenticate(header);
        if (token.isEmpty()) {
            ctx.header(
                    Header.WWW_AUTHENTICATE,
                    header == null ? "Bearer realm=\"fathom\"" : "Bearer realm=\"fathom\", error=\"invalid_token\"");
            ctx.skipRemainingHandlers();
            error(
                    ctx,
                    401,
                    header == null
                            ? "this endpoint needs a bearer token (Authorization: Bearer <token>)"
                            : "the bearer token is not one of this server's");
        } else if (!token.get().grants(needed.get())) {
            String scope = needed.get().code();
            ctx.header(
                    Header.WWW_AUTHENTICATE,
                    "Bearer realm=\"fathom\", error=\"insufficient_scope\", scope=\"" + scope + "\"");
            ctx.skipRemainingHandlers();
            error(ctx, 403, "token " + token.get().name() + " lacks the scope " + scope + " this endpoint needs");
        }
    }

    private static Connector httpsConnector(
            Server server, HttpConfiguration http, HttpOptions options, TlsConfig.Keys keys) {
        SslContextFactory.Server ssl = new SslContextFactory.Server();
        ssl.setKeyStore(keys.store());
        ssl.setKeyStorePassword(keys.password());
        HttpConfiguration https = new HttpConfiguration(http);
        https.addCustomizer(new SecureRequestCustomizer());
        ServerConnector connector = new ServerConnector(
                server,
                new SslConnectionFactory(ssl, HttpVersion.HTTP_1_1.asString()),
                new HttpConnectionFactory(https));
        connector.setHost(options.host());
        connector.setPort(options.port());
        return connector;
    }

    private Timer latency(PrometheusMeterRegistry registry, Context ctx) {
        TimerKey key = new TimerKey(route(ctx), ctx.method().name(), ctx.statusCode());
        Timer timer = timers.get(key);
        if (timer == null) {
            timer = timers.computeIfAbsent(key, k -> Timer.builder("fathom.http.requests")
                    .description("HTTP request latency, by route and status")
                    .tag("route", k.route())
                    .tag("method", k.method())
                    .tag("status", Integer.toString(k.status()))
                    .publishPercentileHistogram()
                    .serviceLevelObjectives(Duration.ofMillis(1), Duration.ofMillis(5), Duration.ofMillis(25))
                    .register(registry));
        }
        return timer;
    }

    /** The route's path pattern, or {@code unmatched} when no route matched (the handler type stays BEFORE). */
    private static String route(Context ctx) {
        String path = ctx.handlerType() == HandlerType.BEFORE ? null : ctx.endpointHandlerPath();
        return path == null ? "unmatched" : path;
    }

    private static void error(Context ctx, int status, String message) {
        ctx.status(status).json(new ApiError(status, message));
    }

    @Override
    public void close() {
        app.stop();
    }
}
