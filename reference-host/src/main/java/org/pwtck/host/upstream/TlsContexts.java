package org.pwtck.host.upstream;

import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import org.pwtck.host.config.HostConfig;

/**
 * Client TLS for clusters that ask for it: the cluster's CA bundle (or the JDK's trust store), SNI,
 * and a hostname check of the server's certificate against the SNI name (or the endpoint's host).
 */
public final class TlsContexts {
    private final Map<HostConfig.Tls, SslContext> contexts = new ConcurrentHashMap<>();

    /** An {@link SslHandler} for a connection to an endpoint of a TLS cluster. */
    public SslHandler handler(HostConfig.Tls tls, HostConfig.Endpoint ep, ByteBufAllocator alloc) {
        SslContext ctx = contexts.computeIfAbsent(tls, TlsContexts::context);
        String peer = tls.sni() != null ? tls.sni() : ep.host();
        SslHandler handler = ctx.newHandler(alloc, peer, ep.port());
        SSLEngine engine = handler.engine();
        SSLParameters params = engine.getSSLParameters();
        params.setEndpointIdentificationAlgorithm("HTTPS");
        if (tls.sni() != null) {
            // The JDK derives SNI from the peer host only when it contains a dot; a configured
            // name is sent as it is ("upstream" as well as "upstream.example").
            params.setServerNames(List.of(new SNIHostName(tls.sni())));
        }
        engine.setSSLParameters(params);
        return handler;
    }

    private static SslContext context(HostConfig.Tls tls) {
        try {
            SslContextBuilder b = SslContextBuilder.forClient();
            if (!tls.caCertificates().isEmpty()) {
                b.trustManager(tls.caCertificates().toArray(X509Certificate[]::new));
            }
            return b.build();
        } catch (SSLException e) {
            throw new IllegalStateException(
                    "TLS setup failed for " + tls.caFile() + ": " + e.getMessage(), e);
        }
    }

    /** Trust managers that trust exactly these CA certificates (for grpc-java's credentials). */
    static TrustManager[] trustManagers(List<X509Certificate> cas) {
        try {
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            for (int i = 0; i < cas.size(); i++) {
                store.setCertificateEntry("ca-" + i, cas.get(i));
            }
            TrustManagerFactory tmf =
                    TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(store);
            return tmf.getTrustManagers();
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot build a trust store of the CA bundle", e);
        }
    }

    /**
     * The channel once it can carry requests: for a TLS connection, after the handshake, so a
     * handshake failure (untrusted certificate, wrong name) is a failure to connect, not a reset of
     * a request that was never sent.
     */
    public static Future<Channel> ready(ChannelFuture connect) {
        Promise<Channel> ready = connect.channel().eventLoop().newPromise();
        connect.addListener(
                f -> {
                    if (!f.isSuccess()) {
                        ready.tryFailure(f.cause());
                        return;
                    }
                    SslHandler ssl = connect.channel().pipeline().get(SslHandler.class);
                    if (ssl == null) {
                        ready.trySuccess(connect.channel());
                        return;
                    }
                    ssl.handshakeFuture()
                            .addListener(
                                    h -> {
                                        if (h.isSuccess()) {
                                            ready.trySuccess(connect.channel());
                                        } else {
                                            // no cause: callers print the innermost one
                                            ready.tryFailure(
                                                    new SSLException(
                                                            "TLS handshake failed: "
                                                                    + Causes.rootMessage(
                                                                            h.cause())));
                                        }
                                    });
                });
        return ready;
    }
}
