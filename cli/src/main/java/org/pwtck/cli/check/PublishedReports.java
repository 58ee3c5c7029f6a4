package org.pwtck.cli.check;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.pwtck.cli.BadInputException;
import org.pwtck.reports.model.CompatibilityReport;
import org.pwtck.reports.model.ReportJson;

/**
 * The published compatibility reports ({@code <host>/<version>/report.json}, schema {@code
 * pwtck.report/v1}): from a directory given with {@code --reports}, else the copy of {@code
 * reports/published} packaged in the jar, so a check needs no network.
 */
public final class PublishedReports {
    /** Where the build packages {@code reports/published} on the class path. */
    static final String RESOURCE = "pwtck/published";

    /** One host version's report; {@link #label()} is what {@code --hosts} selects. */
    public record HostReport(String host, String version, CompatibilityReport report) {
        public String label() {
            return host + "-" + version;
        }
    }

    private final List<HostReport> reports;
    private final String source;

    private PublishedReports(List<HostReport> reports, String source) {
        this.reports = reports;
        this.source = source;
    }

    public List<HostReport> all() {
        return reports;
    }

    /** Where the reports came from, for the output. */
    public String source() {
        return source;
    }

    public static PublishedReports fromDirectory(Path dir) throws BadInputException {
        if (!Files.isDirectory(dir)) {
            throw new BadInputException(
                    dir + ": --reports must be a directory of <host>/<version>/report.json");
        }
        try {
            List<HostReport> found = scan(dir);
            if (found.isEmpty()) {
                throw new BadInputException(
                        dir + ": holds no <host>/<version>/report.json (see reports/published)");
            }
            return new PublishedReports(found, dir.toString());
        } catch (IOException e) {
            throw new BadInputException(dir + ": cannot read the reports: " + e.getMessage(), e);
        }
    }

    /** The reports packaged in the jar (or in target/classes when run from the build). */
    public static PublishedReports packaged() throws IOException {
        URL url = PublishedReports.class.getClassLoader().getResource(RESOURCE);
        if (url == null) {
            throw new IOException(
                    "no published reports on the class path ("
                            + RESOURCE
                            + "); pass --reports reports/published");
        }
        try {
            URI uri = url.toURI();
            if (uri.getScheme().equals("jar")) {
                try (FileSystem fs = FileSystems.newFileSystem(uri, Map.of())) {
                    return new PublishedReports(scan(fs.getPath(RESOURCE)), "packaged with pwtck");
                }
            }
            return new PublishedReports(scan(Path.of(uri)), "packaged with pwtck");
        } catch (URISyntaxException e) {
            throw new IOException("cannot locate the packaged reports: " + url, e);
        }
    }

    private static List<HostReport> scan(Path dir) throws IOException {
        List<HostReport> out = new ArrayList<>();
        try (Stream<Path> files = Files.walk(dir, 3)) {
            for (Path file :
                    files.filter(p -> p.getFileName().toString().equals("report.json"))
                            .sorted()
                            .toList()) {
                Path rel = dir.relativize(file);
                if (rel.getNameCount() != 3) {
                    continue;
                }
                CompatibilityReport report = ReportJson.read(file);
                out.add(
                        new HostReport(
                                rel.getName(0).toString(), rel.getName(1).toString(), report));
            }
        }
        out.sort(Comparator.comparing(HostReport::host).thenComparing(HostReport::version));
        return List.copyOf(out);
    }

    /**
     * The reports {@code --hosts} names: {@code host} (its newest version), {@code host-version} or
     * {@code host-versionprefix} (e.g. {@code envoy-1.40}).
     *
     * @throws BadInputException naming the unknown host and the known ones
     */
    public List<HostReport> select(List<String> specs) throws BadInputException {
        if (specs.isEmpty()) {
            return reports;
        }
        List<HostReport> out = new ArrayList<>();
        for (String spec : specs) {
            HostReport match = null;
            for (HostReport r : reports) {
                if (spec.equals(r.host())
                        || spec.equals(r.label())
                        || (spec.startsWith(r.host() + "-")
                                && (r.version() + ".")
                                        .startsWith(spec.substring(r.host().length() + 1) + "."))) {
                    // a later (newer, as sorted) version of the same host wins for a bare name
                    match = r;
                }
            }
            if (match == null) {
                throw new BadInputException(
                        "--hosts: unknown host \""
                                + spec
                                + "\"; published reports ("
                                + source
                                + ") cover: "
                                + String.join(
                                        ", ", reports.stream().map(HostReport::label).toList()));
            }
            if (!out.contains(match)) {
                out.add(match);
            }
        }
        return out;
    }
}
