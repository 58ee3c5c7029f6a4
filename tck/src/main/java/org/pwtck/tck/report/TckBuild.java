package org.pwtck.tck.report;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/**
 * The TCK's own version and commit, as the build wrote them into {@code
 * pwtck/tck-build.properties}: what reports and latency runs name in their provenance.
 */
public final class TckBuild {
    private static final String UNKNOWN = "unknown";
    private static final Properties BUILD = load();

    private TckBuild() {}

    /** The TCK's Maven version, or "unknown". */
    public static String version() {
        return value("version");
    }

    /**
     * The commit the TCK was built from ({@code git describe}: abbreviated hash, "-dirty" with
     * uncommitted changes), or "unknown" outside a git checkout.
     */
    public static String commit() {
        return value("commit");
    }

    private static String value(String key) {
        String v = BUILD.getProperty(key, "").trim();
        // An unresolved Maven expression means the build had no value for it (no .git, say).
        return v.isEmpty() || v.startsWith("${") ? UNKNOWN : v;
    }

    private static Properties load() {
        Properties build = new Properties();
        try (InputStream in =
                TckBuild.class.getClassLoader().getResourceAsStream("pwtck/tck-build.properties")) {
            if (in != null) {
                build.load(in);
            }
        } catch (IOException e) {
            // Without build properties version and commit read "unknown"; reports stay valid.
        }
        return build;
    }
}
