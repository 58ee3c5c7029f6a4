package org.pwtck.host.context;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.pwtck.host.abi.Status;

class InMemorySharedDataStoreTest {
    private final InMemorySharedDataStore store = new InMemorySharedDataStore();

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void concurrentCasIncrementsLoseNothing() throws Exception {
        int threads = 8;
        int perThread = 1000;
        assertEquals(Status.OK, store.set("vm", "n", utf8("0"), 0));
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Integer>> results = new ArrayList<>();
        try {
            for (int t = 0; t < threads; t++) {
                results.add(
                        pool.submit(
                                () -> {
                                    go.await();
                                    int mismatches = 0;
                                    for (int i = 0; i < perThread; i++) {
                                        while (true) {
                                            SharedDataStore.Entry e =
                                                    store.get("vm", "n").orElseThrow();
                                            int next =
                                                    Integer.parseInt(
                                                                    new String(
                                                                            e.value(),
                                                                            StandardCharsets.UTF_8))
                                                            + 1;
                                            Status s =
                                                    store.set(
                                                            "vm",
                                                            "n",
                                                            utf8(String.valueOf(next)),
                                                            e.cas());
                                            if (s == Status.OK) {
                                                break;
                                            }
                                            assertEquals(Status.CAS_MISMATCH, s);
                                            mismatches++;
                                        }
                                    }
                                    return mismatches;
                                }));
            }
            go.countDown();
            for (Future<Integer> f : results) {
                assertTrue(f.get(60, TimeUnit.SECONDS) >= 0);
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(
                String.valueOf(threads * perThread),
                new String(store.get("vm", "n").orElseThrow().value(), StandardCharsets.UTF_8));
    }

    @Test
    void concurrentWritesGetDistinctNonZeroCasTokens() throws Exception {
        int threads = 4;
        int perThread = 500;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<Future<?>> done = new ArrayList<>();
        try {
            for (int t = 0; t < threads; t++) {
                String key = "k" + t;
                done.add(
                        pool.submit(
                                () -> {
                                    for (int i = 0; i < perThread; i++) {
                                        store.set("vm", key + "-" + i, new byte[] {1}, 0);
                                    }
                                }));
            }
            for (Future<?> f : done) {
                f.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        Set<Integer> seen = new HashSet<>();
        for (int t = 0; t < threads; t++) {
            for (int i = 0; i < perThread; i++) {
                int cas = store.get("vm", "k" + t + "-" + i).orElseThrow().cas();
                assertNotEquals(0, cas);
                seen.add(cas);
            }
        }
        assertEquals(threads * perThread, seen.size());
    }

    @Test
    void returnedAndStoredValuesAreCopies() {
        byte[] value = utf8("abc");
        store.set("vm", "k", value, 0);
        value[0] = 'x';
        byte[] got = store.get("vm", "k").orElseThrow().value();
        assertArrayEquals(utf8("abc"), got);
        got[0] = 'y';
        assertArrayEquals(utf8("abc"), store.get("vm", "k").orElseThrow().value());
    }

    @Test
    void namespacesAreSeparate() {
        store.set("a", "k", utf8("1"), 0);
        assertTrue(store.get("b", "k").isEmpty());
        assertTrue(store.get("a", "other").isEmpty());
    }
}
