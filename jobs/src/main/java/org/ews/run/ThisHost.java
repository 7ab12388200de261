package org.ews.run;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** This machine's name and this process's pid namespace, as the run lock records them. */
final class ThisHost {
    private static volatile String name;

    private ThisHost() {}

    /** The host name (the kernel's, else Java's, else HOSTNAME); "unknown" if none can be had. */
    static String name() {
        if (name == null) {
            String n = null;
            try {
                n = Files.readString(Path.of("/proc/sys/kernel/hostname"), StandardCharsets.UTF_8).trim();
            } catch (Exception ignored) {
                // not Linux
            }
            if (n == null || n.isEmpty()) {
                try {
                    n = java.net.InetAddress.getLocalHost().getHostName();
                } catch (Exception e) {
                    n = System.getenv("HOSTNAME");
                }
            }
            name = n == null || n.isBlank() ? "unknown" : n;
        }
        return name;
    }

    /**
     * The pid namespace ({@code pid:[4026531836]} on Linux), so that two containers sharing a host name do not judge each
     * other's pids; null where it cannot be read.
     */
    static String pidNamespace() {
        try {
            return Files.readSymbolicLink(Path.of("/proc/self/ns/pid")).toString();
        } catch (Exception e) {
            return null;
        }
    }
}
