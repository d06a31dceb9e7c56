package io.streamviz.bench.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** A one-line description of the machine the figures were measured on. */
public final class Machine {
    private Machine() {}

    public static String describe() {
        return String.format(
                "%s, %d cores, %d GiB RAM, %s %s, Java %s (%s)",
                cpuModel(),
                Runtime.getRuntime().availableProcessors(),
                totalMemoryGiB(),
                System.getProperty("os.name"),
                System.getProperty("os.version"),
                System.getProperty("java.version"),
                System.getProperty("java.vm.name"));
    }

    private static String cpuModel() {
        try (Stream<String> lines = Files.lines(Path.of("/proc/cpuinfo"))) {
            return lines.filter(line -> line.startsWith("model name"))
                    .map(line -> line.substring(line.indexOf(':') + 1).trim())
                    .findFirst()
                    .orElse("unknown CPU");
        } catch (IOException e) {
            return "unknown CPU";
        }
    }

    private static long totalMemoryGiB() {
        try (Stream<String> lines = Files.lines(Path.of("/proc/meminfo"))) {
            return lines.filter(line -> line.startsWith("MemTotal:"))
                    .map(line -> Long.parseLong(line.replaceAll("\\D", "")))
                    .findFirst()
                    .map(kib -> Math.round(kib / 1024.0 / 1024.0))
                    .orElse(0L);
        } catch (IOException e) {
            return 0;
        }
    }
}
