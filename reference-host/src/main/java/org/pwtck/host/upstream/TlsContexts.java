package org.pwtck.host.upstream;

import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import org.pwtck.host.config.HostConfig;

/** Client TLS for clusters that ask for it: a CA bundle (or the JDK's), SNI, hostname checks. */
public final class TlsContexts {
    private final Map<HostConfig.Tls, SslContext> contexts = new ConcurrentHashMap<>();

    /** An {@link SslHandler} for a connection to an endpoint of a TLS cluster. */
    public SslHandler handler(HostConfig.Tls tls, HostConfig.Endpoint ep, ByteBufAllocator alloc) {
        SslContext ctx =
                contexts.computeIfAbsent(
                        tls,
                        t -> {
                            try {
                                SslContextBuilder b = SslContextBuilder.forClient();
                                if (t.caFile() != null) {
                                    b.trustManager(t.caFile().toFile());
                                }
                                return b.build();
                            } catch (SSLException e) {
                                throw new IllegalStateException(
                                        "TLS setup failed for "
                                                + t.caFile()
                                                + ": "
                                                + e.getMessage(),
                                        e);
                            }
                        });
        String peer = tls.sni() != null ? tls.sni() : ep.host();
        SslHandler handler = ctx.newHandler(alloc, peer, ep.port());
        SSLEngine engine = handler.engine();
        SSLParameters params = engine.getSSLParameters();
        params.setEndpointIdentificationAlgorithm("HTTPS");
        engine.setSSLParameters(params);
        return handler;
    }
}
