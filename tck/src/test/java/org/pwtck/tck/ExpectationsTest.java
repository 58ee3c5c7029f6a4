package org.pwtck.tck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pwtck.tck.junit.Expectations;

class ExpectationsTest {
    @TempDir Path dir;

    @Test
    void readsKnownFailuresPerLanguage() throws IOException {
        Path f =
                write(
                        "{\"expectations\": [{\"case\": \"A\", \"languages\": [\"go\"], \"reason\": \"r\", \"spec\": \"s\"},"
                                + " {\"case\": \"B\", \"reason\": \"all languages\"}]}");
        Expectations e = Expectations.load("x", Optional.of(f));
        assertTrue(e.knownFailure("A", "go").isPresent());
        assertTrue(e.knownFailure("A", "rust").isEmpty());
        assertTrue(e.knownFailure("B", "rust").isPresent());
        assertEquals("r", e.knownFailure("A", "go").get().reason());
    }

    @Test
    void malformedFileNamesTheFileAndTheProblem() throws IOException {
        Path notJson = write("{not json");
        IOException e1 =
                assertThrows(IOException.class, () -> Expectations.load("x", Optional.of(notJson)));
        assertTrue(
                e1.getMessage().startsWith(notJson.toString() + ": not valid JSON"),
                e1.getMessage());

        Path noReason = write("{\"expectations\": [{\"case\": \"A\"}]}");
        IOException e2 =
                assertThrows(
                        IOException.class, () -> Expectations.load("x", Optional.of(noReason)));
        assertTrue(
                e2.getMessage().contains("expectations[0] (A): \"reason\" is required"),
                e2.getMessage());

        Path noArray = write("{\"host\": \"x\"}");
        IOException e3 =
                assertThrows(IOException.class, () -> Expectations.load("x", Optional.of(noArray)));
        assertTrue(e3.getMessage().contains("needs an \"expectations\" array"), e3.getMessage());
    }

    @Test
    void hostWithoutBundledFileHasNoExpectations() throws IOException {
        assertTrue(Expectations.load("no-such-host", Optional.empty()).all().isEmpty());
    }

    private Path write(String text) throws IOException {
        Path f = Files.createTempFile(dir, "exp", ".json");
        Files.writeString(f, text);
        return f;
    }
}
