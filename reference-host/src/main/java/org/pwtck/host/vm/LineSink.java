package org.pwtck.host.vm;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/** An output stream that hands complete lines (without the newline) to a consumer. */
final class LineSink extends OutputStream {
    private final Consumer<String> lines;
    private final ByteArrayOutputStream current = new ByteArrayOutputStream();

    LineSink(Consumer<String> lines) {
        this.lines = lines;
    }

    @Override
    public void write(int b) {
        if (b == '\n') {
            flushLine();
        } else {
            current.write(b);
        }
    }

    @Override
    public void flush() {
        if (current.size() > 0) {
            flushLine();
        }
    }

    private void flushLine() {
        lines.accept(current.toString(StandardCharsets.UTF_8));
        current.reset();
    }
}
