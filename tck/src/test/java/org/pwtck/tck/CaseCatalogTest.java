package org.pwtck.tck;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.reflect.Method;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.pwtck.host.abi.AbiFunction;
import org.pwtck.tck.api.Feature;
import org.pwtck.tck.junit.ConformanceCase;

/** The cases themselves: unique ids, valid languages, descriptions, and every feature used. */
class CaseCatalogTest {

    static List<ConformanceCase> allCases()
            throws IOException, URISyntaxException, ClassNotFoundException {
        Path root =
                Path.of(
                        ConformanceCase.class
                                .getProtectionDomain()
                                .getCodeSource()
                                .getLocation()
                                .toURI());
        Path dir = root.resolve("org/pwtck/tck/cases");
        List<ConformanceCase> cases = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f :
                    files.filter(p -> p.getFileName().toString().endsWith("Cases.class"))
                            .toList()) {
                String name =
                        "org.pwtck.tck.cases." + f.getFileName().toString().replace(".class", "");
                for (Method m : Class.forName(name).getDeclaredMethods()) {
                    ConformanceCase c = m.getAnnotation(ConformanceCase.class);
                    if (c != null) {
                        cases.add(c);
                    }
                }
            }
        }
        return cases;
    }

    @Test
    void caseIdsAreUniqueAndWellFormed() throws Exception {
        Set<String> ids = new HashSet<>();
        List<ConformanceCase> cases = allCases();
        assertTrue(cases.size() >= 20, "expected the TCK's cases, found " + cases.size());
        for (ConformanceCase c : cases) {
            assertTrue(ids.add(c.id()), "duplicate case id " + c.id());
            assertTrue(c.id().matches("[A-Z][A-Za-z0-9]+"), "case id must be CamelCase: " + c.id());
            assertFalse(c.description().isBlank(), c.id() + " has no description");
            assertTrue(c.features().length > 0, c.id() + " declares no feature");
            for (String l : c.languages()) {
                assertTrue(
                        Set.of("go", "rust", "tinygo", "wat").contains(l),
                        c.id() + ": unknown language " + l);
            }
        }
    }

    @Test
    void everyCaseDeclaresHostCallsOrIsAboutLoading() throws Exception {
        for (ConformanceCase c : allCases()) {
            boolean loading = List.of(c.features()).contains(Feature.MODULE_LOADING);
            assertTrue(c.hostCalls().length > 0 || loading, c.id() + " names no host call");
        }
    }

    @Test
    void everyHostFunctionIsExercised() throws Exception {
        Set<String> exercised = new HashSet<>();
        allCases().forEach(c -> exercised.addAll(List.of(c.hostCalls())));
        List<String> missing = new ArrayList<>();
        for (AbiFunction f : AbiFunction.values()) {
            if (f.inSpec() && !exercised.contains(f.wasmName())) {
                missing.add(f.wasmName());
            }
        }
        assertTrue(missing.isEmpty(), "host functions no case exercises: " + missing);
    }

    @Test
    void featuresWithoutCasesAreKnown() throws Exception {
        Set<Feature> used = EnumSet.noneOf(Feature.class);
        allCases().forEach(c -> used.addAll(List.of(c.features())));
        Set<Feature> unused = EnumSet.complementOf(EnumSet.copyOf(used));
        // Features whose cases are still to come; the set may only shrink.
        Set<Feature> pending = EnumSet.of(Feature.HTTP_TRAILERS, Feature.ABI_0_1_0, Feature.WASI);
        assertTrue(pending.containsAll(unused), "features without a case: " + unused);
    }
}
