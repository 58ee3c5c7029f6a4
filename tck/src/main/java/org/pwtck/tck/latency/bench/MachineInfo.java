package org.pwtck.tck.latency.bench;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import org.pwtck.reports.latency.LatencyReport;
import org.pwtck.tck.report.TckBuild;

/** The machine, the JDK and the library versions a run used. */
final class MachineInfo {
    private MachineInfo() {}

    /** {@code /proc/loadavg} (1, 5, 15 min), or "unknown". */
    static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }

    static LatencyReport.Machine machine(String loadBefore, String loadAfter) {
        return new LatencyReport.Machine(
                System.getProperty("os.name") + " " + System.getProperty("os.version"),
                System.getProperty("os.arch"),
                Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.vendor") + " " + System.getProperty("java.version"),
                System.getProperty("java.vm.name") + " " + System.getProperty("java.vm.version"),
                memoryKb(),
                loadBefore,
                loadAfter);
    }

    private static long memoryKb() {
        try {
            for (String l : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (l.startsWith("MemTotal:")) {
                    return Long.parseLong(l.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux
        }
        return 0;
    }

    static Map<String, String> versions() {
        Map<String, String> v = new LinkedHashMap<>();
        String commit = TckBuild.commit();
        v.put("pwtck", TckBuild.version() + (commit.equals("unknown") ? "" : " " + commit));
        v.put("chicory", version("com.dylibso.chicory", "runtime"));
        v.put(
                "netty",
                io.netty.util.Version.identify().values().stream()
                        .filter(x -> x.artifactId().equals("netty-common"))
                        .map(io.netty.util.Version::artifactVersion)
                        .findFirst()
                        .orElse("unknown"));
        v.put("hdrhistogram", version("org.hdrhistogram", "HdrHistogram"));
        return v;
    }

    /** A dependency's version from its jar's Maven metadata, if it is on the classpath. */
    private static String version(String group, String artifact) {
        String res = "META-INF/maven/" + group + "/" + artifact + "/pom.properties";
        try (InputStream in = MachineInfo.class.getClassLoader().getResourceAsStream(res)) {
            if (in == null) {
                return "unknown";
            }
            Properties p = new Properties();
            p.load(in);
            return p.getProperty("version", "unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }
}
