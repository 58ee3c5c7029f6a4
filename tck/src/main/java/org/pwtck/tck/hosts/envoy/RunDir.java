package org.pwtck.tck.hosts.envoy;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Locale;

/**
 * A deployment's working directory ({@code pwtck-envoy-<name>-…} under the temp dir): the module,
 * the bootstrap and the admin address file. Deleted on close unless {@code keep} (set with {@code
 * pwtck.envoy.keep=true} to look at a failing deployment).
 */
final class RunDir implements AutoCloseable {
    private final Path dir;
    private final boolean keep;

    private RunDir(Path dir, boolean keep) {
        this.dir = dir;
        this.keep = keep;
    }

    static RunDir create(String filterName, boolean keep) throws IOException {
        Path dir = Files.createTempDirectory("pwtck-envoy-" + safeName(filterName) + "-");
        try {
            // world-readable, for a container that runs Envoy as another user (ENVOY.md §0)
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system
        }
        return new RunDir(dir, keep);
    }

    Path path() {
        return dir;
    }

    Path write(String name, byte[] bytes) throws IOException {
        Path p = dir.resolve(name);
        Files.write(p, bytes);
        try {
            Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rw-r--r--"));
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system
        }
        return p;
    }

    /** Letters, digits, dot, dash and underscore; anything else becomes {@code _}. */
    static String safeName(String name) {
        String s = name.replaceAll("[^A-Za-z0-9._-]", "_");
        s = s.length() > 40 ? s.substring(0, 40) : s;
        return s.isEmpty() ? "filter" : s.toLowerCase(Locale.ROOT);
    }

    @Override
    public void close() {
        if (keep) {
            return;
        }
        try {
            Files.walkFileTree(
                    dir,
                    new SimpleFileVisitor<>() {
                        @Override
                        public FileVisitResult visitFile(Path file, BasicFileAttributes attrs)
                                throws IOException {
                            Files.deleteIfExists(file);
                            return FileVisitResult.CONTINUE;
                        }

                        @Override
                        public FileVisitResult postVisitDirectory(Path d, IOException e)
                                throws IOException {
                            Files.deleteIfExists(d);
                            return FileVisitResult.CONTINUE;
                        }
                    });
        } catch (IOException e) {
            // best effort: a temp dir left behind is harmless
        }
    }
}
