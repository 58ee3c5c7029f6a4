package org.pwtck.host.testing;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import org.pwtck.host.abi.Header;
import org.pwtck.host.abi.HeaderPairsCodec;
import org.pwtck.host.abi.StreamType;
import org.pwtck.host.context.HttpContext;
import org.pwtck.host.context.LocalResponse;
import org.pwtck.host.context.StreamInfo;
import org.pwtck.host.context.StreamListener;
import org.pwtck.host.plugin.HttpStream;

/**
 * Helpers for tests of maps, buffers and stream control: HTTP streams whose host-side state a test
 * sets directly on the VM thread, a listener that records what it was told, serialized maps.
 */
public final class StreamTestSupport {
    private StreamTestSupport() {}

    /**
     * A serialized map (ABI.md §1.4) of alternating names and values, as given (no lower-casing).
     */
    public static byte[] pairs(String... namesAndValues) {
        List<Header> headers = new ArrayList<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            headers.add(Header.of(namesAndValues[i], namesAndValues[i + 1]));
        }
        return HeaderPairsCodec.encode(headers);
    }

    /** {@code n} bytes of {@link TestHost#SENTINEL}. */
    public static byte[] sentinel(int n) {
        byte[] out = new byte[n];
        Arrays.fill(out, TestHost.SENTINEL);
        return out;
    }

    /** Runs a task on the VM thread (where every context must be read and changed). */
    public static <T> T onVm(TestHost host, Callable<T> task) {
        return host.vm.executor().call(task);
    }

    /** Opens an HTTP stream and, on the VM thread, lets the test set up its context. */
    public static HttpStream httpStream(
            TestHost host, StreamListener listener, Consumer<HttpContext> setUp) {
        HttpStream stream = host.vm.newHttpStream(listener, StreamInfo.local());
        onVm(
                host,
                () -> {
                    setUp.accept(stream.context());
                    return null;
                });
        return stream;
    }

    /** Records every stream event, in order, as text, plus the local responses themselves. */
    public static final class RecordingListener implements StreamListener {
        public final List<String> events = Collections.synchronizedList(new ArrayList<>());
        public final List<LocalResponse> localResponses =
                Collections.synchronizedList(new ArrayList<>());
        private final Runnable onEvent;

        public RecordingListener() {
            this(() -> {});
        }

        /** {@code onEvent} runs at each delivery, e.g. to snapshot what the guest did so far. */
        public RecordingListener(Runnable onEvent) {
            this.onEvent = onEvent;
        }

        @Override
        public void onContinue(StreamType stream) {
            onEvent.run();
            events.add("continue " + stream);
        }

        @Override
        public void onClose(StreamType stream) {
            onEvent.run();
            events.add("close " + stream);
        }

        @Override
        public void onLocalResponse(LocalResponse response) {
            onEvent.run();
            events.add("local response " + response.statusCode());
            localResponses.add(response);
        }

        @Override
        public void onClearRouteCache() {
            onEvent.run();
            events.add("clear route cache");
        }

        @Override
        public void onFailure(String reason) {
            events.add("failure " + reason);
        }
    }
}
