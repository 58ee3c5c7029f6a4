package org.pwtck.reports.latency;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reads and writes the canonical JSON; refuses a file of another schema. */
public final class LatencyReportJson {
    private static final ObjectMapper MAPPER =
            new ObjectMapper()
                    .enable(SerializationFeature.INDENT_OUTPUT)
                    .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                    .setSerializationInclusion(JsonInclude.Include.NON_NULL);

    private LatencyReportJson() {}

    public static String write(LatencyReport report) {
        try {
            return MAPPER.writeValueAsString(report);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a latency report must always serialize", e);
        }
    }

    public static void write(LatencyReport report, Path file) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.writeString(file, write(report));
    }

    public static LatencyReport read(Path file) throws IOException {
        LatencyReport report;
        try {
            report = MAPPER.readValue(file.toFile(), LatencyReport.class);
        } catch (JsonProcessingException e) {
            throw new IOException(
                    file + ": not a pwtck latency report: " + e.getOriginalMessage(), e);
        }
        if (!LatencyReport.SCHEMA.equals(report.schema())) {
            throw new IOException(
                    file + ": schema " + report.schema() + " is not " + LatencyReport.SCHEMA);
        }
        return report;
    }

    /** The JMH result file, or an error naming it. */
    public static com.fasterxml.jackson.databind.JsonNode readJmh(Path file) throws IOException {
        try {
            return MAPPER.readTree(file.toFile());
        } catch (JsonProcessingException e) {
            throw new IOException(file + ": not JSON: " + e.getOriginalMessage(), e);
        }
    }
}
