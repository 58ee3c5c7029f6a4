package org.pwtck.tck.junit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A host's declared state: known failures (XFAIL) per case and language, each with a reason and the
 * spec section, so that a run is green when the host matches what it declares and an unexpected
 * pass (XPASS) is reported. Format:
 *
 * <pre>{@code
 * {"host": "envoy",
 *  "expectations": [
 *    {"case": "HeaderMapSizeIsSerializedSize", "languages": ["go", "rust"],
 *     "reason": "Envoy returns the header bytes, not the serialized size", "spec": "ABI.md §8 #10"}
 *  ]}
 * }</pre>
 *
 * An entry without {@code languages} applies to every language.
 */
public final class Expectations {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One known failure. */
    public record KnownFailure(String caseId, List<String> languages, String reason, String spec) {
        boolean matches(String id, String language) {
            return caseId.equals(id) && (languages.isEmpty() || languages.contains(language));
        }
    }

    private final String source;
    private final List<KnownFailure> failures;

    private Expectations(String source, List<KnownFailure> failures) {
        this.source = source;
        this.failures = failures;
    }

    public static Expectations none() {
        return new Expectations("(none)", List.of());
    }

    /**
     * The file given, else the host's bundled {@code pwtck/expectations/<host>.json}, else none.
     */
    public static Expectations load(String hostId, Optional<Path> file) throws IOException {
        if (file.isPresent()) {
            try (InputStream in = Files.newInputStream(file.get())) {
                return parse(file.get().toString(), in);
            }
        }
        String resource = "pwtck/expectations/" + hostId + ".json";
        try (InputStream in = Expectations.class.getClassLoader().getResourceAsStream(resource)) {
            return in == null ? none() : parse("classpath:" + resource, in);
        }
    }

    static Expectations parse(String source, InputStream in) throws IOException {
        JsonNode root;
        try {
            root = JSON.readTree(in);
        } catch (IOException e) {
            throw new IOException(source + ": not valid JSON: " + e.getMessage(), e);
        }
        if (root == null || !root.path("expectations").isArray()) {
            throw new IOException(source + ": needs an \"expectations\" array");
        }
        List<KnownFailure> out = new ArrayList<>();
        int i = 0;
        for (JsonNode e : root.get("expectations")) {
            String where = source + ": expectations[" + i++ + "]";
            String id = e.path("case").asText("");
            String reason = e.path("reason").asText("");
            if (id.isEmpty()) {
                throw new IOException(where + ": \"case\" is required");
            }
            if (reason.isEmpty()) {
                throw new IOException(where + " (" + id + "): \"reason\" is required");
            }
            List<String> languages = new ArrayList<>();
            e.path("languages").forEach(l -> languages.add(l.asText()));
            out.add(
                    new KnownFailure(
                            id, List.copyOf(languages), reason, e.path("spec").asText("")));
        }
        return new Expectations(source, List.copyOf(out));
    }

    public Optional<KnownFailure> knownFailure(String caseId, String language) {
        return failures.stream().filter(f -> f.matches(caseId, language)).findFirst();
    }

    public String source() {
        return source;
    }

    public List<KnownFailure> all() {
        return failures;
    }
}
