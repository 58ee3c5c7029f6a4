package org.pwtck.cli.check;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.pwtck.cli.check.CheckResult.Finding;
import org.pwtck.cli.check.CheckResult.ImportRow;
import org.pwtck.cli.check.CheckResult.Rule;
import org.pwtck.cli.check.CheckResult.Support;

/** The three renderings of a {@link CheckResult}: a table for people, JSON, SARIF 2.1.0. */
public enum CheckOutput {
    TABLE {
        @Override
        public String render(CheckResult r) {
            return table(r);
        }
    },
    JSON {
        @Override
        public String render(CheckResult r) {
            return write(r);
        }
    },
    SARIF {
        @Override
        public String render(CheckResult r) {
            return write(sarif(r));
        }
    };

    private static final ObjectMapper MAPPER =
            new ObjectMapper()
                    .enable(SerializationFeature.INDENT_OUTPUT)
                    .setSerializationInclusion(JsonInclude.Include.NON_NULL);

    public abstract String render(CheckResult result);

    private static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a check result must always serialize", e);
        }
    }

    static String table(CheckResult r) {
        StringBuilder out = new StringBuilder();
        out.append("module    ").append(r.file()).append('\n');
        out.append("sha256    ").append(r.sha256()).append('\n');
        out.append("abi       ")
                .append(r.abiVersion() != null ? r.abiVersion() : "none")
                .append(r.abiMarkers().isEmpty() ? "" : "  " + r.abiMarkers())
                .append('\n');
        out.append("memory    ").append(memory(r.memory())).append('\n');
        out.append("exports   ")
                .append(
                        String.join(
                                ", ",
                                r.exports().stream()
                                        .filter(e -> e.kind().equals("function"))
                                        .map(e -> e.name())
                                        .toList()))
                .append('\n');
        out.append("reports   ").append(r.reports()).append("\n\n");

        List<String> header = new ArrayList<>(List.of("import", "signature"));
        header.addAll(r.hosts());
        List<List<String>> rows = new ArrayList<>();
        rows.add(header);
        for (ImportRow row : r.imports()) {
            List<String> cells = new ArrayList<>();
            cells.add(row.qualifiedName());
            cells.add(row.kind().equals("function") ? row.signature() : row.kind());
            for (String host : r.hosts()) {
                Support s = row.hosts().get(host);
                cells.add(s == null ? "-" : cell(s));
            }
            rows.add(cells);
        }
        out.append(columns(rows)).append('\n');

        if (r.findings().isEmpty()) {
            out.append("findings  none\n");
        } else {
            out.append("findings\n");
            for (Finding f : r.findings()) {
                out.append("  ")
                        .append(f.level().name().toLowerCase(Locale.ROOT))
                        .append("  ")
                        .append(f.ruleId())
                        .append("  ")
                        .append(f.message())
                        .append('\n');
            }
        }
        out.append('\n')
                .append(
                        r.compatible()
                                ? "COMPATIBLE with " + String.join(", ", r.hosts())
                                : "INCOMPATIBLE: "
                                        + r.findings().stream()
                                                .filter(f -> f.level() == CheckResult.Level.ERROR)
                                                .count()
                                        + " error(s)")
                .append('\n');
        return out.toString();
    }

    private static String cell(Support s) {
        return switch (s.status()) {
            case SUPPORTED -> "ok";
            case UNTESTED -> "untested";
            case KNOWN_DEVIATION -> "deviates (" + s.cases().size() + " xfail)";
            case FAILS -> "FAILS (" + s.cases().size() + ")";
            case NOT_SUPPORTED -> "NOT SUPPORTED";
            case UNKNOWN_IMPORT -> "UNKNOWN";
        };
    }

    private static String memory(CheckResult.Memory m) {
        if (m == null) {
            return "none";
        }
        return m.initialPages()
                + " pages initial, "
                + (m.maximumPages() == null ? "no maximum" : m.maximumPages() + " maximum")
                + (m.imported() ? " (imported)" : "");
    }

    private static String columns(List<List<String>> rows) {
        int n = rows.get(0).size();
        int[] width = new int[n];
        for (List<String> row : rows) {
            for (int i = 0; i < n; i++) {
                width[i] = Math.max(width[i], row.get(i).length());
            }
        }
        StringBuilder out = new StringBuilder();
        for (List<String> row : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < n; i++) {
                line.append(String.format("%-" + (width[i] + 2) + "s", row.get(i)));
            }
            out.append(line.toString().stripTrailing()).append('\n');
        }
        return out.toString();
    }

    /** SARIF 2.1.0: one run, a rule per finding kind, one result per finding at the wasm file. */
    static ObjectNode sarif(CheckResult r) {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("$schema", "https://json.schemastore.org/sarif-2.1.0.json");
        root.put("version", "2.1.0");
        ObjectNode run = root.putArray("runs").addObject();
        ObjectNode driver = run.putObject("tool").putObject("driver");
        driver.put("name", "pwtck");
        driver.put("informationUri", "https://github.com/proxy-wasm/spec");
        driver.put("version", version());
        ArrayNode rules = driver.putArray("rules");
        for (Rule rule : Rule.values()) {
            ObjectNode node = rules.addObject();
            node.put("id", rule.id());
            node.putObject("shortDescription").put("text", rule.description());
        }
        ArrayNode results = run.putArray("results");
        for (Finding f : r.findings()) {
            ObjectNode result = results.addObject();
            result.put("ruleId", f.ruleId());
            result.put("level", f.level().name().toLowerCase(Locale.ROOT));
            result.putObject("message").put("text", f.message());
            result.putArray("locations")
                    .addObject()
                    .putObject("physicalLocation")
                    .putObject("artifactLocation")
                    .put("uri", r.file().replace('\\', '/'));
            ObjectNode props = result.putObject("properties");
            if (f.host() != null) {
                props.put("host", f.host());
            }
            if (f.importName() != null) {
                props.put("import", f.importName());
            }
            ArrayNode cases = props.putArray("cases");
            f.cases().forEach(cases::add);
        }
        ObjectNode props = run.putObject("properties");
        props.put("sha256", r.sha256());
        props.put("compatible", r.compatible());
        ArrayNode hosts = props.putArray("hosts");
        r.hosts().forEach(hosts::add);
        return root;
    }

    private static String version() {
        String v = CheckOutput.class.getPackage().getImplementationVersion();
        return v != null ? v : "0.1.0-SNAPSHOT";
    }

    public static CheckOutput parse(String name) {
        for (CheckOutput f : values()) {
            if (f.name().equalsIgnoreCase(name)) {
                return f;
            }
        }
        throw new IllegalArgumentException(
                "--format: \"" + name + "\" is not table, json or sarif");
    }
}
