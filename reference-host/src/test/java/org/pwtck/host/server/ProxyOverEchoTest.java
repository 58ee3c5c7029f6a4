package org.pwtck.host.server;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the plain proxy socket tests share: a fresh echo upstream per test, the proxy the test
 * starts in front of it, both closed after the test, and a directory for configs.
 */
abstract class ProxyOverEchoTest {
    @TempDir Path dir;
    EchoUpstream upstream;
    ServerFixture proxy;

    @BeforeEach
    void startUpstream() throws Exception {
        upstream = new EchoUpstream();
    }

    @AfterEach
    void closeProxyAndUpstream() {
        if (proxy != null) {
            proxy.close();
        }
        upstream.close();
    }
}
