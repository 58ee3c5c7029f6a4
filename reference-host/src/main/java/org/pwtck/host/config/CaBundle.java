package org.pwtck.host.config;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import javax.net.ssl.SNIHostName;

/**
 * Reads a cluster's CA bundle when the config is loaded, so a missing, unreadable or malformed
 * bundle is a config error (naming the file and the reason) instead of a failure on the first
 * connection.
 */
final class CaBundle {
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    private static final String PEM_CERTIFICATE = "-----BEGIN CERTIFICATE-----";

    private CaBundle() {}

    /** Why a bundle cannot be used; the message names the file. */
    static final class InvalidCaBundleException extends Exception {
        InvalidCaBundleException(String message) {
            super(message);
        }
    }

    /** Every certificate of a PEM bundle (at least one). */
    static List<X509Certificate> read(Path file) throws InvalidCaBundleException {
        if (!Files.exists(file)) {
            throw new InvalidCaBundleException("no such file: " + file);
        }
        if (!Files.isRegularFile(file)) {
            throw new InvalidCaBundleException("not a regular file: " + file);
        }
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new InvalidCaBundleException("cannot be read: " + file + " (" + e + ")");
        }
        // CertificateFactory would also take DER; the documented format is PEM, and a bundle with
        // no PEM certificate block is most likely the wrong file (a key, a DER file, a typo).
        if (!new String(bytes, StandardCharsets.ISO_8859_1).contains(PEM_CERTIFICATE)) {
            throw new InvalidCaBundleException(
                    "not a PEM CA bundle (no \"" + PEM_CERTIFICATE + "\" block): " + file);
        }
        List<X509Certificate> out = new ArrayList<>();
        try {
            for (Certificate c :
                    CertificateFactory.getInstance("X.509")
                            .generateCertificates(new ByteArrayInputStream(bytes))) {
                out.add((X509Certificate) c);
            }
        } catch (CertificateException e) {
            throw new InvalidCaBundleException(
                    "not a PEM CA bundle (" + e.getMessage() + "): " + file);
        }
        if (out.isEmpty()) {
            throw new InvalidCaBundleException("not a PEM CA bundle (no certificate): " + file);
        }
        return out;
    }

    /** A name SNI can carry: a DNS host name, not an IP address (RFC 6066 §3). */
    static boolean isValidServerName(String name) {
        if (IPV4.matcher(name).matches() || name.contains(":")) {
            return false;
        }
        try {
            new SNIHostName(name);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
