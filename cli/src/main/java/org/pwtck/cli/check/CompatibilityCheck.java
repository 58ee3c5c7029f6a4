package org.pwtck.cli.check;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.pwtck.cli.check.CheckResult.Finding;
import org.pwtck.cli.check.CheckResult.ImportRow;
import org.pwtck.cli.check.CheckResult.Level;
import org.pwtck.cli.check.CheckResult.Rule;
import org.pwtck.cli.check.CheckResult.Status;
import org.pwtck.cli.check.CheckResult.Support;
import org.pwtck.cli.check.PublishedReports.HostReport;
import org.pwtck.host.abi.AbiFunction;
import org.pwtck.host.abi.AbiVersion;
import org.pwtck.host.plugin.Plugin;
import org.pwtck.host.vm.ModuleInspection;
import org.pwtck.host.vm.ModuleLoadException;
import org.pwtck.reports.model.CaseResult;
import org.pwtck.reports.model.Outcome;

/**
 * The static check: which of the module's imports each target host supports, judged from the host's
 * published conformance report. A host call is matched to every case whose {@code hostCalls} name
 * it: a case NOT_SUPPORTED makes it unsupported, a FAIL (or XPASS) makes it failing, an XFAIL (a
 * known deviation listed in the host's expectation file) is a warning, and an import no case
 * exercises is a note. The reference host's own loader also judges the module, since it checks what
 * a report cannot (allocator, signatures, start-up exports).
 */
public final class CompatibilityCheck {
    private static final Set<String> WASI_MODULES =
            Set.of("wasi_snapshot_preview1", "wasi_unstable");

    private CompatibilityCheck() {}

    public static CheckResult run(
            ModuleInspection module, byte[] bytes, List<HostReport> hosts, String reportsSource) {
        List<Finding> findings = new ArrayList<>();
        Optional<AbiVersion> version = module.abiVersion();
        checkMarker(module, findings);
        if (module.memory().isEmpty()) {
            findings.add(
                    finding(
                            Rule.MEMORY,
                            Level.ERROR,
                            null,
                            null,
                            "the module neither defines nor imports a memory; host calls pass"
                                    + " pointers into it",
                            List.of()));
        }
        List<ImportRow> rows = new ArrayList<>();
        for (ModuleInspection.Entry imp : module.imports()) {
            String origin = origin(imp, version);
            if (origin.startsWith("unknown")) {
                findings.add(
                        finding(
                                Rule.UNKNOWN_IMPORT,
                                Level.ERROR,
                                null,
                                imp.qualifiedName(),
                                "imports "
                                        + imp.qualifiedName()
                                        + " "
                                        + imp.signature()
                                        + ", which no proxy-wasm host provides: "
                                        + origin.substring("unknown: ".length()),
                                List.of()));
            }
            Map<String, Support> support = new LinkedHashMap<>();
            if (imp.kind().equals("function")) {
                for (HostReport host : hosts) {
                    Support s = origin.startsWith("unknown") ? unknown() : support(imp, host);
                    support.put(host.label(), s);
                    findingFor(imp, host, s).ifPresent(findings::add);
                }
            }
            rows.add(
                    new ImportRow(
                            imp.module(),
                            imp.name(),
                            imp.kind(),
                            imp.signature(),
                            origin,
                            support));
        }
        for (HostReport host : hosts) {
            if (host.host().equals("reference")) {
                referenceLoad(module, bytes).ifPresent(findings::add);
            }
        }
        boolean compatible = findings.stream().noneMatch(f -> f.level() == Level.ERROR);
        return new CheckResult(
                module.name(),
                module.sha256(),
                module.abiMarkers(),
                version.map(AbiVersion::label).orElse(null),
                module.exports(),
                rows,
                module.memory()
                        .map(
                                m ->
                                        new CheckResult.Memory(
                                                m.initialPages(),
                                                m.maximumPages().orElse(null),
                                                m.imported()))
                        .orElse(null),
                hosts.stream().map(HostReport::label).toList(),
                reportsSource,
                List.copyOf(findings),
                compatible);
    }

    private static void checkMarker(ModuleInspection module, List<Finding> findings) {
        List<String> markers = module.abiMarkers();
        String problem = null;
        if (markers.isEmpty()) {
            problem =
                    "exports no ABI marker (proxy_abi_version_0_2_1, _0_2_0, _0_1_0 or _0_x_x): no"
                            + " host will load it as a proxy-wasm filter";
        } else if (markers.size() > 1) {
            problem =
                    "exports "
                            + markers.size()
                            + " ABI markers "
                            + markers
                            + "; hosts disagree on which wins (the reference host refuses it)";
        } else if (module.abiVersion().isEmpty()) {
            problem = "exports the unknown ABI marker " + markers.get(0);
        }
        if (problem != null) {
            findings.add(finding(Rule.ABI_MARKER, Level.ERROR, null, null, problem, List.of()));
        }
    }

    /** Where an import comes from, or "unknown…" with why no host provides it. */
    private static String origin(ModuleInspection.Entry imp, Optional<AbiVersion> version) {
        if (WASI_MODULES.contains(imp.module())) {
            return "wasi";
        }
        if (!imp.module().equals(AbiFunction.MODULE)) {
            return imp.kind().equals("memory")
                    ? "memory"
                    : "unknown: proxy-wasm hosts provide only env (proxy-wasm) and WASI imports";
        }
        if (!imp.kind().equals("function")) {
            return imp.kind().equals("memory")
                    ? "memory"
                    : "unknown: hosts provide no " + imp.kind() + " imports";
        }
        Optional<AbiFunction> f = AbiFunction.byWasmName(imp.name());
        if (f.isEmpty()) {
            return "unknown: not a host function of any proxy-wasm ABI version";
        }
        if (version.isPresent() && !f.get().availableIn(version.get())) {
            return "unknown: not a host function of ABI " + version.get().label();
        }
        if (!f.get().signature().equals(imp.signature())) {
            return "unknown: the ABI's signature is " + f.get().signature();
        }
        return f.get().inSpec() ? "proxy-wasm" : "host extension";
    }

    private static Support unknown() {
        return new Support(Status.UNKNOWN_IMPORT, List.of());
    }

    /** The host call's name as reports list it: bare for env, module-qualified for WASI. */
    private static String hostCallName(ModuleInspection.Entry imp) {
        return imp.module().equals(AbiFunction.MODULE) ? imp.name() : imp.qualifiedName();
    }

    private static Support support(ModuleInspection.Entry imp, HostReport host) {
        String call = hostCallName(imp);
        // status -> case id -> languages, so "Case [go, rust]" reads as one case
        Map<Status, Map<String, Set<String>>> cases = new LinkedHashMap<>();
        for (CaseResult r : host.report().results()) {
            if (!r.hostCalls().contains(call)) {
                continue;
            }
            Status s = status(r.outcome());
            if (s != null) {
                cases.computeIfAbsent(s, k -> new LinkedHashMap<>())
                        .computeIfAbsent(r.caseId(), k -> new LinkedHashSet<>())
                        .add(r.language());
            }
        }
        for (Status s : Status.values()) {
            if (cases.containsKey(s)) {
                List<String> ids = new ArrayList<>();
                cases.get(s)
                        .forEach(
                                (id, langs) -> ids.add(id + " [" + String.join(", ", langs) + "]"));
                return new Support(s, List.copyOf(ids));
            }
        }
        return new Support(Status.UNTESTED, List.of());
    }

    /** SKIPPED results say nothing about the host call, so they decide nothing. */
    private static Status status(Outcome outcome) {
        return switch (outcome) {
            case PASS -> Status.SUPPORTED;
            case FAIL, XPASS -> Status.FAILS;
            case NOT_SUPPORTED -> Status.NOT_SUPPORTED;
            case XFAIL -> Status.KNOWN_DEVIATION;
            case SKIPPED -> null;
        };
    }

    private static Optional<Finding> findingFor(
            ModuleInspection.Entry imp, HostReport host, Support s) {
        String name = imp.qualifiedName();
        String on = host.label();
        return switch (s.status()) {
            case NOT_SUPPORTED ->
                    Optional.of(
                            finding(
                                    Rule.NOT_SUPPORTED,
                                    Level.ERROR,
                                    on,
                                    name,
                                    on + " does not support " + name + " (" + cases(s) + ")",
                                    s.cases()));
            case FAILS ->
                    Optional.of(
                            finding(
                                    Rule.FAILING,
                                    Level.ERROR,
                                    on,
                                    name,
                                    on
                                            + " fails conformance cases using "
                                            + name
                                            + " ("
                                            + cases(s)
                                            + ")",
                                    s.cases()));
            case KNOWN_DEVIATION ->
                    Optional.of(
                            finding(
                                    Rule.KNOWN_DEVIATION,
                                    Level.WARNING,
                                    on,
                                    name,
                                    on
                                            + " deviates from the spec reading in cases using "
                                            + name
                                            + " (expected failures: "
                                            + cases(s)
                                            + ")",
                                    s.cases()));
            case UNTESTED ->
                    Optional.of(
                            finding(
                                    Rule.UNTESTED,
                                    Level.NOTE,
                                    on,
                                    name,
                                    "no published case for " + on + " exercises " + name,
                                    List.of()));
            case SUPPORTED, UNKNOWN_IMPORT -> Optional.empty();
        };
    }

    private static String cases(Support s) {
        int shown = Math.min(5, s.cases().size());
        String list = String.join(", ", s.cases().subList(0, shown));
        return s.cases().size() > shown
                ? list + " and " + (s.cases().size() - shown) + " more"
                : list;
    }

    /** The reference host's loader, which also checks allocator, signatures and start-up. */
    private static Optional<Finding> referenceLoad(ModuleInspection module, byte[] bytes) {
        try {
            Plugin.builder().withName(module.name()).withWasm(bytes, module.name()).build();
            return Optional.empty();
        } catch (ModuleLoadException e) {
            return Optional.of(
                    finding(
                            Rule.LOAD_REFUSED,
                            Level.ERROR,
                            "reference",
                            null,
                            "the reference host refuses the module: " + e.getMessage(),
                            List.of()));
        }
    }

    private static Finding finding(
            Rule rule,
            Level level,
            String host,
            String importName,
            String message,
            List<String> cases) {
        return new Finding(rule.id(), level, host, importName, message, cases);
    }
}
