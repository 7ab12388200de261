package org.ews.testing;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;

/** Writes a small landing zone in the contract's layout for one test. */
public final class Landing {
    private final Path root;

    public Landing(Path root) {
        this.root = root;
    }

    public Path root() {
        return root;
    }

    public Path customs(String reporter, String date, String fileName, String content) {
        return write(root.resolve("customs/reporter=" + reporter + "/date=" + date + "/" + fileName), content);
    }

    public Path firms(String date, String content) {
        return write(root.resolve("corporate/firms/date=" + date + "/firms.csv"), content);
    }

    public Path ownership(String date, String content) {
        return write(root.resolve("corporate/ownership/date=" + date + "/ownership.csv"), content);
    }

    /** A gzip file holding {@code content}; with {@code keepBytes} > 0 it is cut after that many bytes. */
    public Path customsGzip(String reporter, String date, String fileName, String content, int keepBytes) {
        try {
            Path p = root.resolve("customs/reporter=" + reporter + "/date=" + date + "/" + fileName);
            Files.createDirectories(p.getParent());
            java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
            try (OutputStream gz = new GZIPOutputStream(bytes)) {
                gz.write(content.getBytes(StandardCharsets.UTF_8));
            }
            byte[] all = bytes.toByteArray();
            Files.write(p, keepBytes > 0 ? java.util.Arrays.copyOf(all, Math.min(keepBytes, all.length)) : all);
            return p;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static Path write(Path p, String content) {
        try {
            Files.createDirectories(p.getParent());
            return Files.writeString(p, content, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
