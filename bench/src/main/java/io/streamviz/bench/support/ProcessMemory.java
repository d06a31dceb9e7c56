package io.streamviz.bench.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The resident memory of a process, from Linux's {@code /proc/<pid>/status}. */
public final class ProcessMemory {
    private ProcessMemory() {}

    /** Resident set size now, in bytes. */
    public static long residentBytes(long pid) throws IOException {
        return statusKib(pid, "VmRSS:") * 1024;
    }

    /** The largest resident set size the process has had, in bytes. */
    public static long peakResidentBytes(long pid) throws IOException {
        return statusKib(pid, "VmHWM:") * 1024;
    }

    private static long statusKib(long pid, String field) throws IOException {
        List<String> lines = Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"));
        for (String line : lines) {
            if (line.startsWith(field)) {
                return Long.parseLong(line.substring(field.length()).replace("kB", "").trim());
            }
        }
        throw new IOException("no " + field + " in /proc/" + pid + "/status");
    }
}
