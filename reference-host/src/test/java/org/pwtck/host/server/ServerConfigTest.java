package org.pwtck.host.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.pwtck.host.cli.Main;
import org.pwtck.host.config.ConfigException;
import org.pwtck.host.config.ConfigLoader;
import org.pwtck.host.config.HostConfig;

/** Config errors name the file, the field and the reason; the CLI exits 2 on them. */
@Timeout(60)
class ServerConfigTest {
    @TempDir Path dir;

    private List<String> problems(String yaml) throws Exception {
        Path f = dir.resolve("host.yaml");
        Files.writeString(f, yaml);
        return assertThrows(ConfigException.class, () -> ConfigLoader.load(f)).problems();
    }

    private static void assertHas(List<String> problems, String text) {
        assertTrue(problems.stream().anyMatch(p -> p.contains(text)), problems.toString());
    }

    @Test
    void everyProblemIsReportedWithFileFieldAndReason() throws Exception {
        List<String> p =
                problems(
                        """
                        listeners: [{name: main, port: 99999, h2c: sometimes}]
                        clusters:
                          echo: {endpoints: ["nohost"], connectTimeout: soon}
                        filters:
                          h: {path: missing.wasm, failPolicy: sometimes, colour: red}
                        routes:
                          - {prefix: api, cluster: other, filters: [h, nope]}
                        """);
        String file = dir.resolve("host.yaml").toString();
        assertTrue(p.stream().allMatch(x -> x.startsWith(file + ": ")), p.toString());
        assertHas(p, "listeners[0].port: must be 0..65535, got 99999");
        assertHas(p, "listeners[0].h2c: must be true or false, got \"sometimes\"");
        assertHas(p, "clusters.echo.endpoints[0]: \"nohost\" is not host:port");
        assertHas(p, "clusters.echo.connectTimeout: must be a positive duration");
        assertHas(p, "filters.h.path: no such file: ");
        assertHas(p, "filters.h.failPolicy: \"sometimes\" is not one of closed, open");
        assertHas(p, "filters.h.colour: unknown field");
        assertHas(p, "routes[0].prefix: must start with '/'");
        assertHas(p, "routes[0].cluster: unknown cluster \"other\" (known: echo)");
        assertHas(p, "routes[0].filters[1]: unknown filter \"nope\" (known: h)");
    }

    @Test
    void sha256MismatchRefuses() throws Exception {
        String wasm = ServerFixture.rust("headers");
        List<String> p =
                problems(
                        """
                        listeners: [{port: 0}]
                        clusters: {echo: {endpoints: ["127.0.0.1:1"]}}
                        filters:
                          h: {path: %s, sha256: "%s"}
                        routes: [{prefix: /, cluster: echo, filters: [h]}]
                        """
                                .formatted(wasm, "0".repeat(64)));
        assertHas(p, "filters.h.sha256: mismatch: ");
    }

    @Test
    void aClustersCaBundleIsCheckedWhenTheConfigIsLoaded() throws Exception {
        Files.createDirectory(dir.resolve("adir"));
        Files.writeString(dir.resolve("text.pem"), "just some text\n");
        Files.writeString(dir.resolve("empty.pem"), "");
        Files.writeString(
                dir.resolve("broken.pem"),
                "-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydGlmaWNhdGU=\n-----END CERTIFICATE-----\n");
        List<String> p =
                problems(
                        """
                        listeners: [{port: 0}]
                        clusters:
                          missing: {endpoints: ["127.0.0.1:1"], tls: {caFile: nosuch.pem}}
                          directory: {endpoints: ["127.0.0.1:1"], tls: {caFile: adir}}
                          text: {endpoints: ["127.0.0.1:1"], tls: {caFile: text.pem}}
                          empty: {endpoints: ["127.0.0.1:1"], tls: {caFile: empty.pem}}
                          broken: {endpoints: ["127.0.0.1:1"], tls: {caFile: broken.pem}}
                          ip: {endpoints: ["127.0.0.1:1"], tls: {sni: 10.0.0.1}}
                          typo: {endpoints: ["127.0.0.1:1"], tls: {cafile: x.pem}}
                        routes: [{prefix: /, cluster: typo}]
                        """);
        String file = dir.resolve("host.yaml") + ": ";
        assertHas(
                p,
                file + "clusters.missing.tls.caFile: no such file: " + dir.resolve("nosuch.pem"));
        assertHas(
                p,
                file + "clusters.directory.tls.caFile: not a regular file: " + dir.resolve("adir"));
        assertHas(
                p,
                file
                        + "clusters.text.tls.caFile: not a PEM CA bundle (no \"-----BEGIN"
                        + " CERTIFICATE-----\" block): "
                        + dir.resolve("text.pem"));
        assertHas(p, file + "clusters.empty.tls.caFile: not a PEM CA bundle (no \"-----BEGIN");
        assertHas(p, file + "clusters.broken.tls.caFile: not a PEM CA bundle (");
        assertHas(p, dir.resolve("broken.pem").toString());
        assertHas(p, file + "clusters.ip.tls.sni: \"10.0.0.1\" is not a DNS host name");
        assertHas(p, file + "clusters.typo.tls.cafile: unknown field");
        assertEquals(7, p.size(), p.toString()); // nothing else is reported
    }

    @Test
    void anUnreadableCaBundleIsAConfigError() throws Exception {
        Path ca = dir.resolve("locked.pem");
        Files.writeString(ca, "-----BEGIN CERTIFICATE-----\n");
        Files.setPosixFilePermissions(ca, java.util.Set.of());
        assumeFalse(Files.isReadable(ca), "running as root: a mode-000 file is still readable");
        List<String> p =
                problems(
                        """
                        listeners: [{port: 0}]
                        clusters: {c: {endpoints: ["127.0.0.1:1"], tls: {caFile: locked.pem}}}
                        """);
        assertHas(p, "clusters.c.tls.caFile: cannot be read: " + ca);
    }

    @Test
    void cliExitsWith2OnABadCaBundle() throws Exception {
        Path bad = dir.resolve("tls.yaml");
        Files.writeString(
                bad,
                """
                listeners: [{port: 0}]
                clusters: {c: {endpoints: ["127.0.0.1:1"], tls: {caFile: nosuch.pem}}}
                """);
        Result r = run("run", "--config", bad.toString());
        assertEquals(Main.CONFIG_ERROR, r.code);
        assertTrue(
                r.err.contains(
                        bad
                                + ": clusters.c.tls.caFile: no such file: "
                                + dir.resolve("nosuch.pem")),
                r.err);
    }

    @Test
    void pluginConfigIsAStringOrYamlTurnedIntoJson() throws Exception {
        Path f = dir.resolve("ok.yaml");
        Files.writeString(
                f,
                """
                listeners: [{port: 0}]
                clusters: {echo: {endpoints: ["127.0.0.1:1"]}}
                filters:
                  a: {path: %1$s, config: {x: [1, "two"], y: {z: true}}}
                  b: {path: %1$s, config: "raw text", failPolicy: FAIL_OPEN}
                routes: [{prefix: /, cluster: echo, filters: [a, {name: b, config: {k: v}}]}]
                """
                        .formatted(ServerFixture.rust("headers")));
        HostConfig c = ConfigLoader.load(f);
        assertEquals("{\"x\":[1,\"two\"],\"y\":{\"z\":true}}", c.filters().get("a").pluginConfig());
        assertEquals("raw text", c.filters().get("b").pluginConfig());
        assertEquals(HostConfig.FailPolicy.OPEN, c.filters().get("b").failPolicy());
        assertEquals(
                "{\"k\":\"v\"}", c.routes().get(0).filters().get(1).pluginConfig().orElseThrow());
    }

    @Test
    void malformedYamlNamesTheLine() throws Exception {
        List<String> p = problems("listeners: [\n  {port: 0\nroutes: x\n");
        assertHas(p, "(document): not valid YAML (line");
    }

    @Test
    void cliExitsWith2OnAConfigErrorAndAFilterThatFailsToStart() throws Exception {
        Path bad = dir.resolve("bad.yaml");
        Files.writeString(bad, "listeners: []\n");
        assertEquals(Main.CONFIG_ERROR, run("run", "--config", bad.toString()).code);
        assertEquals(
                Main.CONFIG_ERROR,
                run("run", "--config", dir.resolve("none.yaml").toString()).code);
        // valid YAML, but on_configure refuses the (empty) config: refused at start, exit 2
        Path refused = dir.resolve("refused.yaml");
        Files.writeString(
                refused,
                """
                listeners: [{port: 0}]
                clusters: {echo: {endpoints: ["127.0.0.1:1"]}}
                filters: {auth: {path: %s}}
                routes: [{prefix: /, cluster: echo, filters: [auth]}]
                """
                        .formatted(ServerFixture.rust("auth")));
        Result r = run("run", "--config", refused.toString());
        assertEquals(Main.CONFIG_ERROR, r.code);
        assertTrue(r.err.contains("filters.auth: failed to start"), r.err);
    }

    @Test
    void checkReportsTheModuleOrWhyItIsRefused() throws Exception {
        Result ok = run("check", ServerFixture.rust("headers"));
        assertEquals(Main.OK, ok.code, ok.err);
        assertTrue(ok.out.contains("abi:      0.2.1"), ok.out);
        Path junk = dir.resolve("junk.wasm");
        Files.write(junk, new byte[] {0, 'a', 's', 'm', 1, 0, 0, 0, 42});
        Result refused = run("check", junk.toString());
        assertEquals(Main.REFUSED, refused.code);
        assertTrue(refused.err.startsWith("refused: "), refused.err);
        Result start = run("check", "--start", ServerFixture.rust("auth"));
        assertEquals(Main.REFUSED, start.code);
        assertTrue(start.err.contains("proxy_on_configure returned false"), start.err);
    }

    record Result(int code, String out, String err) {}

    private static Result run(String... args) {
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
            int code = Main.execute(args);
            return new Result(
                    code, o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
    }
}
