package org.treatmentledger.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.io.UncheckedIOException;
import java.net.http.HttpHeaders;

/**
 * A tiny real-HTTP client for the tests (JDK HttpClient, HTTP Basic as one of the demo users). Every response under
 * /api is checked against the served /v3/api-docs ({@link ApiContract}); a violation fails the request's test.
 */
public final class Http {

    public record Response(int status, JsonNode json, String raw, HttpHeaders headers) {
        public String header(String name) {
            return headers.firstValue(name).orElse(null);
        }

        public String contentType() {
            return headers.firstValue("Content-Type").orElse("");
        }

        public String text(String field) {
            JsonNode node = json == null ? null : json.get(field);
            return node == null || node.isNull() ? null : node.asText();
        }
    }

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String base;
    private final int port;

    public Http(int port) {
        this.base = "http://localhost:" + port;
        this.port = port;
    }

    /** The contract of this server: the served document, fetched and parsed once per port. */
    public ApiContract contract() {
        return ApiContract.forPort(port, () -> {
            HttpResponse<String> document = exchange(HttpRequest.newBuilder(URI.create(base + "/v3/api-docs"))
                    .timeout(Duration.ofSeconds(60)).GET().build());
            if (document.statusCode() != 200) {
                throw new IllegalStateException("GET /v3/api-docs answered " + document.statusCode());
            }
            return document.body();
        });
    }

    public Response get(String user, String path) {
        return send(user, "GET", path, null, Map.of());
    }

    public Response post(String user, String path, String json) {
        return send(user, "POST", path, json, Map.of());
    }

    public Response post(String user, String path, String json, Map<String, String> headers) {
        return send(user, "POST", path, json, headers);
    }

    public Response send(String user, String method, String path, String json, Map<String, String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(60));
        if (user != null) {
            String credentials = user.contains(":") ? user : user + ":demo";
            request.header("Authorization", "Basic " + Base64.getEncoder()
                    .encodeToString(credentials.getBytes(StandardCharsets.UTF_8)));
        }
        headers.forEach(request::header);
        if (json != null) {
            if (headers.keySet().stream().noneMatch("Content-Type"::equalsIgnoreCase)) {
                request.header("Content-Type", "application/json");
            }
            request.method(method, HttpRequest.BodyPublishers.ofString(json));
        } else {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        }
        HttpResponse<String> response = exchange(request.build());
        String requested = response.request().uri().getRawPath();
        if (ApiContract.covers(requested)) {
            contract().check(method, requested, response.statusCode(), response.headers().map(), response.body());
        }
        JsonNode body = null;
        if (response.body() != null && !response.body().isBlank()
                && response.headers().firstValue("Content-Type").orElse("").contains("json")) {
            try {
                body = MAPPER.readTree(response.body());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return new Response(response.statusCode(), body, response.body(), response.headers());
    }

    private HttpResponse<String> exchange(HttpRequest request) {
        try {
            return client.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Sends {@code body} byte for byte (any encoding, or none), with {@code contentType} unless it is null. */
    public Response sendRaw(String user, String method, String path, byte[] body, String contentType,
                            Map<String, String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(60));
        if (user != null) {
            request.header("Authorization", "Basic " + Base64.getEncoder()
                    .encodeToString((user + ":demo").getBytes(StandardCharsets.UTF_8)));
        }
        if (contentType != null) request.header("Content-Type", contentType);
        headers.forEach(request::header);
        request.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        try {
            HttpResponse<String> response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
            JsonNode json = null;
            if (response.headers().firstValue("Content-Type").orElse("").contains("json") && !response.body().isBlank()) {
                try {
                    json = MAPPER.readTree(response.body());
                } catch (IOException notJson) {
                    // Left null: the caller sees the raw body.
                }
            }
            return new Response(response.statusCode(), json, response.body(), response.headers());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public static Optional<String> opt(String s) { return Optional.ofNullable(s); }
}
