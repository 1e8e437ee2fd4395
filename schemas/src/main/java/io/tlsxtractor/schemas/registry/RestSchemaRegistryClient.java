package io.tlsxtractor.schemas.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tlsxtractor.schemas.internal.BoundedCache;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Base64;
import java.util.Objects;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManagerFactory;
import org.apache.avro.Schema;
import org.apache.avro.SchemaParseException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A client of the Confluent Schema Registry REST API over {@link HttpClient}. Works against a Confluent registry
 * and against Apicurio's Confluent-compatible API ({@code .../apis/ccompat/v7}). Ids and schemas are immutable in a
 * registry, so they are cached (bounded); compatibility and "latest" answers are not.
 */
public final class RestSchemaRegistryClient implements SchemaRegistryClient {

    private static final Logger LOG = LoggerFactory.getLogger(RestSchemaRegistryClient.class);
    private static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final SchemaRegistrySettings settings;
    private final HttpClient http;
    private final String authorization;
    private final BoundedCache<Integer, Schema> schemasById;
    private final BoundedCache<SubjectSchema, Integer> idsBySubjectSchema;

    private record SubjectSchema(String subject, Schema schema) { }

    public RestSchemaRegistryClient(SchemaRegistrySettings settings) {
        this.settings = Objects.requireNonNull(settings, "settings");
        HttpClient.Builder builder = HttpClient.newBuilder()
                .connectTimeout(settings.connectTimeout())
                .followRedirects(HttpClient.Redirect.NEVER);
        if (settings.truststorePath() != null || settings.caCertificatePem() != null) {
            builder.sslContext(sslContext(settings));
        }
        this.http = builder.build();
        this.authorization = settings.basicAuthUser() == null ? null
                : "Basic " + Base64.getEncoder().encodeToString(
                        (settings.basicAuthUser() + ":" + settings.basicAuthPassword()).getBytes(StandardCharsets.UTF_8));
        this.schemasById = new BoundedCache<>(settings.cacheCapacity());
        this.idsBySubjectSchema = new BoundedCache<>(settings.cacheCapacity());
    }

    public SchemaRegistrySettings settings() {
        return settings;
    }

    @Override
    public int register(String subject, Schema schema) {
        requireSubject(subject);
        Objects.requireNonNull(schema, "schema");
        return idsBySubjectSchema.computeIfAbsent(new SubjectSchema(subject, schema), key -> {
            String op = "register schema under subject '" + subject + "'";
            JsonNode answer = send(op, "POST", "/subjects/" + encode(subject) + "/versions", schemaBody(schema));
            int id = requiredInt(op, answer, "id");
            schemasById.put(id, schema);
            LOG.debug("Registered schema {} under subject {} as id {}", schema.getFullName(), subject, id);
            return id;
        });
    }

    @Override
    public Schema getById(int id) {
        return schemasById.computeIfAbsent(id, key -> {
            String op = "get schema id " + id;
            JsonNode answer = send(op, "GET", "/schemas/ids/" + id, null);
            return parseSchema(op, answer);
        });
    }

    @Override
    public Optional<RegisteredSchema> latest(String subject) {
        requireSubject(subject);
        String op = "get latest version of subject '" + subject + "'";
        try {
            JsonNode answer = send(op, "GET", "/subjects/" + encode(subject) + "/versions/latest", null);
            Schema schema = parseSchema(op, answer);
            int id = requiredInt(op, answer, "id");
            schemasById.put(id, schema);
            return Optional.of(new RegisteredSchema(subject, id, requiredInt(op, answer, "version"), schema));
        } catch (SchemaRegistryException e) {
            if (e.kind() == SchemaRegistryException.Kind.NOT_FOUND) {
                return Optional.empty();
            }
            throw e;
        }
    }

    @Override
    public int lookupId(String subject, Schema schema) {
        requireSubject(subject);
        Objects.requireNonNull(schema, "schema");
        return idsBySubjectSchema.computeIfAbsent(new SubjectSchema(subject, schema), key -> {
            String op = "look up schema " + schema.getFullName() + " under subject '" + subject + "'";
            JsonNode answer = send(op, "POST", "/subjects/" + encode(subject), schemaBody(schema));
            int id = requiredInt(op, answer, "id");
            schemasById.put(id, schema);
            return id;
        });
    }

    @Override
    public boolean isCompatible(String subject, Schema schema) {
        requireSubject(subject);
        Objects.requireNonNull(schema, "schema");
        String op = "check compatibility of schema " + schema.getFullName() + " with subject '" + subject + "'";
        try {
            JsonNode answer = send(op, "POST",
                    "/compatibility/subjects/" + encode(subject) + "/versions/latest", schemaBody(schema));
            JsonNode flag = answer.get("is_compatible");
            if (flag == null || !flag.isBoolean()) {
                throw unexpected(op, answer, "is_compatible");
            }
            return flag.booleanValue();
        } catch (SchemaRegistryException e) {
            if (e.kind() == SchemaRegistryException.Kind.NOT_FOUND) {
                return true;
            }
            throw e;
        }
    }

    @Override
    public void setCompatibility(String subjectOrNullForGlobal, String level) {
        Objects.requireNonNull(level, "level");
        String op = "set compatibility " + level + " on " + describe(subjectOrNullForGlobal);
        ObjectNode body = JSON.createObjectNode().put("compatibility", level);
        send(op, "PUT", configPath(subjectOrNullForGlobal), body.toString());
    }

    @Override
    public String getCompatibility(String subjectOrNullForGlobal) {
        String op = "get compatibility of " + describe(subjectOrNullForGlobal);
        if (subjectOrNullForGlobal != null) {
            try {
                return compatibilityLevel(op, send(op, "GET", configPath(subjectOrNullForGlobal), null));
            } catch (SchemaRegistryException e) {
                // A subject without a level of its own answers 404: the global level is the one in force.
                if (e.kind() != SchemaRegistryException.Kind.NOT_FOUND) {
                    throw e;
                }
            }
        }
        return compatibilityLevel(op, send(op, "GET", "/config", null));
    }

    private static String compatibilityLevel(String op, JsonNode answer) {
        // Confluent answers compatibilityLevel; some versions and compatible servers say compatibility.
        JsonNode level = answer.has("compatibilityLevel") ? answer.get("compatibilityLevel") : answer.get("compatibility");
        if (level == null || !level.isTextual()) {
            throw unexpected(op, answer, "compatibilityLevel");
        }
        return level.asText();
    }

    private static String configPath(String subject) {
        return subject == null ? "/config" : "/config/" + encode(subject);
    }

    private static String describe(String subject) {
        return subject == null ? "the global configuration" : "subject '" + subject + "'";
    }

    private static String schemaBody(Schema schema) {
        ObjectNode body = JSON.createObjectNode();
        body.put("schema", schema.toString());
        return body.toString();
    }

    private static Schema parseSchema(String op, JsonNode answer) {
        JsonNode type = answer.get("schemaType");
        if (type != null && type.isTextual() && !"AVRO".equalsIgnoreCase(type.asText())) {
            throw new SchemaRegistryException(SchemaRegistryException.Kind.OTHER, 200, -1,
                    "Cannot " + op + ": the registry holds a " + type.asText() + " schema, not Avro");
        }
        JsonNode text = answer.get("schema");
        if (text == null || !text.isTextual()) {
            throw unexpected(op, answer, "schema");
        }
        try {
            return new Schema.Parser().parse(text.asText());
        } catch (SchemaParseException e) {
            throw new SchemaRegistryException(SchemaRegistryException.Kind.INVALID, 200, -1,
                    "Cannot " + op + ": the registry returned a schema Avro cannot parse: " + e.getMessage(), e);
        }
    }

    private static int requiredInt(String op, JsonNode answer, String field) {
        JsonNode value = answer.get(field);
        if (value == null || !value.canConvertToInt()) {
            throw unexpected(op, answer, field);
        }
        return value.intValue();
    }

    private static SchemaRegistryException unexpected(String op, JsonNode answer, String field) {
        return new SchemaRegistryException(SchemaRegistryException.Kind.OTHER, 200, -1,
                "Cannot " + op + ": the registry's answer has no valid '" + field + "': " + abbreviate(answer.toString()));
    }

    private JsonNode send(String op, String method, String path, String body) {
        URI uri = URI.create(settings.url() + path);
        HttpRequest.Builder request = HttpRequest.newBuilder(uri)
                .timeout(settings.requestTimeout())
                .header("Accept", CONTENT_TYPE + ", application/json");
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        if (body == null) {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            request.header("Content-Type", CONTENT_TYPE)
                    .method(method, HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        }
        HttpResponse<String> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (HttpConnectTimeoutException e) {
            throw unreachable(op, uri, "connect timed out after " + settings.connectTimeout().toMillis() + " ms", e);
        } catch (HttpTimeoutException e) {
            throw unreachable(op, uri, "no answer within " + settings.requestTimeout().toMillis() + " ms", e);
        } catch (ConnectException e) {
            throw unreachable(op, uri, "connection refused (is the registry running?)", e);
        } catch (SSLException e) {
            throw unreachable(op, uri, "TLS failure: " + e.getMessage(), e);
        } catch (IOException e) {
            throw unreachable(op, uri, e.getClass().getSimpleName() + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SchemaRegistryException(SchemaRegistryException.Kind.UNREACHABLE, -1, -1,
                    "Cannot " + op + ": interrupted while calling " + uri, e);
        }
        int status = response.statusCode();
        JsonNode json = parseJson(response.body());
        if (status >= 200 && status < 300) {
            if (json == null) {
                throw new SchemaRegistryException(SchemaRegistryException.Kind.OTHER, status, -1,
                        "Cannot " + op + ": " + method + " " + uri + " answered HTTP " + status
                                + " with a body that is not JSON: " + abbreviate(response.body()));
            }
            return json;
        }
        int errorCode = json != null && json.path("error_code").canConvertToInt() ? json.get("error_code").intValue() : -1;
        String message = json != null && json.path("message").isTextual() ? json.get("message").asText()
                : abbreviate(response.body());
        SchemaRegistryException.Kind kind = SchemaRegistryException.kindOf(status);
        throw new SchemaRegistryException(kind, status, errorCode,
                "Cannot " + op + ": " + method + " " + uri + " answered HTTP " + status
                        + (errorCode >= 0 ? " (error_code " + errorCode + ")" : "") + ": " + message);
    }

    private static SchemaRegistryException unreachable(String op, URI uri, String why, Exception cause) {
        return new SchemaRegistryException(SchemaRegistryException.Kind.UNREACHABLE, -1, -1,
                "Cannot " + op + ": schema registry at " + uri + " is unreachable: " + why, cause);
    }

    private static JsonNode parseJson(String body) {
        if (body == null || body.isBlank()) {
            return JSON.createObjectNode();
        }
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            return null;
        }
    }

    private static String abbreviate(String text) {
        if (text == null) {
            return "";
        }
        return text.length() <= 500 ? text : text.substring(0, 500) + "...";
    }

    private static String encode(String segment) {
        return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static void requireSubject(String subject) {
        if (subject == null || subject.isBlank()) {
            throw new IllegalArgumentException("subject must not be blank");
        }
    }

    private static SSLContext sslContext(SchemaRegistrySettings settings) {
        try {
            KeyStore trust;
            if (settings.truststorePath() != null) {
                trust = KeyStore.getInstance(settings.truststoreType());
                char[] password = settings.truststorePassword() == null ? null : settings.truststorePassword().toCharArray();
                try (InputStream in = Files.newInputStream(settings.truststorePath())) {
                    trust.load(in, password);
                }
            } else {
                trust = KeyStore.getInstance(KeyStore.getDefaultType());
                trust.load(null, null);
                CertificateFactory factory = CertificateFactory.getInstance("X.509");
                int n = 0;
                try (InputStream in = Files.newInputStream(settings.caCertificatePem())) {
                    for (Certificate certificate : factory.generateCertificates(in)) {
                        trust.setCertificateEntry("ca-" + n++, certificate);
                    }
                }
                if (n == 0) {
                    throw new IllegalArgumentException("CA certificate file " + settings.caCertificatePem()
                            + " holds no PEM certificate");
                }
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, tmf.getTrustManagers(), null);
            return context;
        } catch (IOException | GeneralSecurityException e) {
            Object source = settings.truststorePath() != null ? settings.truststorePath() : settings.caCertificatePem();
            throw new IllegalArgumentException("Cannot load the schema registry trust material from " + source
                    + ": " + e.getMessage(), e);
        }
    }
}
