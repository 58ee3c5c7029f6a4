package org.pwtck.cli.check;

import java.util.List;
import java.util.Map;
import org.pwtck.host.vm.ModuleInspection;

/**
 * What {@code pwtck check} found: the module's anatomy, each import's support per target host, and
 * the findings. The JSON output is this record; the table and SARIF are rendered from it.
 */
public record CheckResult(
        String file,
        String sha256,
        List<String> abiMarkers,
        String abiVersion,
        List<ModuleInspection.Entry> exports,
        List<ImportRow> imports,
        Memory memory,
        List<String> hosts,
        String reports,
        List<Finding> findings,
        boolean compatible) {

    /** Memory limits in 64 KiB pages; {@code maximumPages} null when the module sets none. */
    public record Memory(int initialPages, Integer maximumPages, boolean imported) {}

    /** One import and how each target host (by label, e.g. {@code envoy-1.40.0}) supports it. */
    public record ImportRow(
            String module,
            String name,
            String kind,
            String signature,
            String origin,
            Map<String, Support> hosts) {
        public String qualifiedName() {
            return module + "." + name;
        }
    }

    /** A host's support of one import, with the cases that decided it. */
    public record Support(Status status, List<String> cases) {}

    /** Worst first, so a row shows the most important status. */
    public enum Status {
        UNKNOWN_IMPORT,
        NOT_SUPPORTED,
        FAILS,
        KNOWN_DEVIATION,
        UNTESTED,
        SUPPORTED
    }

    /** SARIF levels. */
    public enum Level {
        ERROR,
        WARNING,
        NOTE
    }

    /**
     * One thing to report: a rule id per kind of finding (see {@link Rule}), the host it concerns
     * (null: every host), the import (null: the module as a whole), and the deciding case ids.
     */
    public record Finding(
            String ruleId,
            Level level,
            String host,
            String importName,
            String message,
            List<String> cases) {}

    /** The kinds of finding, with their SARIF rule ids and descriptions. */
    public enum Rule {
        ABI_MARKER("pwtck/abi-marker", "The module must export exactly one known ABI marker"),
        MEMORY("pwtck/memory", "The module must define or import a memory"),
        UNKNOWN_IMPORT(
                "pwtck/unknown-import",
                "An import no proxy-wasm host provides for the module's ABI version"),
        NOT_SUPPORTED(
                "pwtck/unsupported-import", "A target host reports the host call as not supported"),
        FAILING(
                "pwtck/failing-import",
                "A target host fails conformance cases that exercise the host call"),
        KNOWN_DEVIATION(
                "pwtck/known-deviation",
                "A target host has known deviations (expected failures) in cases for the host"
                        + " call"),
        UNTESTED(
                "pwtck/untested-import",
                "No published conformance case for the target host exercises the import"),
        LOAD_REFUSED("pwtck/load-refused", "The reference host refuses to load the module");

        private final String id;
        private final String description;

        Rule(String id, String description) {
            this.id = id;
            this.description = description;
        }

        public String id() {
            return id;
        }

        public String description() {
            return description;
        }
    }
}
