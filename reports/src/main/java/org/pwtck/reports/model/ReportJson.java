package org.pwtck.reports.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reads and writes the canonical JSON form; refuses a report of another schema version. */
public final class ReportJson {
    private static final ObjectMapper MAPPER =
            new ObjectMapper()
                    .enable(SerializationFeature.INDENT_OUTPUT)
                    .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                    .setSerializationInclusion(JsonInclude.Include.NON_NULL);

    private ReportJson() {}

    public static String write(CompatibilityReport report) {
        try {
            return MAPPER.writeValueAsString(report);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a report must always serialize", e);
        }
    }

    public static void write(CompatibilityReport report, Path file) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.writeString(file, write(report));
    }

    public static CompatibilityReport read(Path file) throws IOException {
        CompatibilityReport report;
        try {
            // Bytes, not toFile(): the file may be inside a jar (the CLI's packaged reports).
            report = MAPPER.readValue(Files.readAllBytes(file), CompatibilityReport.class);
        } catch (JsonProcessingException e) {
            throw new IOException(file + ": not a pwtck report: " + e.getOriginalMessage(), e);
        }
        if (!CompatibilityReport.SCHEMA_VERSION.equals(report.schemaVersion())) {
            throw new IOException(
                    file
                            + ": schema version "
                            + report.schemaVersion()
                            + ", this tool reads "
                            + CompatibilityReport.SCHEMA_VERSION);
        }
        return report;
    }
}
