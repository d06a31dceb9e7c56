package io.streamviz.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A strict reader of the Prometheus text exposition format 0.0.4, as far as the dashboard server
 * writes it: every line is a {@code # HELP}, a {@code # TYPE} or a sample {@code name{labels}
 * value}, and each sample's family was typed before it.
 */
final class PrometheusText {

    private static final Pattern SAMPLE =
            Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{(.*)\\})? (\\S+)");
    private static final Pattern LABEL =
            Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\\\n]|\\\\[\\\\\"n])*)\",?");
    private static final Pattern COMMENT =
            Pattern.compile("# (HELP|TYPE) ([a-zA-Z_:][a-zA-Z0-9_:]*) (.+)");

    record Sample(String name, Map<String, String> labels, double value) {}

    private PrometheusText() {}

    static List<Sample> parse(String body) {
        assertThat(body).endsWith("\n");
        List<Sample> samples = new ArrayList<>();
        Set<String> typed = new HashSet<>();
        for (String line : body.split("\n")) {
            Matcher comment = COMMENT.matcher(line);
            if (comment.matches()) {
                if (comment.group(1).equals("TYPE")) {
                    assertThat(comment.group(3)).as(line).isIn("counter", "gauge");
                    typed.add(comment.group(2));
                }
                continue;
            }
            Matcher sample = SAMPLE.matcher(line);
            assertThat(sample.matches()).as("a sample line: %s", line).isTrue();
            assertThat(typed).as("TYPE before %s", line).contains(sample.group(1));
            samples.add(
                    new Sample(
                            sample.group(1),
                            labels(line, sample.group(2)),
                            Double.parseDouble(sample.group(3))));
        }
        return samples;
    }

    /** The value of the one sample of {@code name} without labels, if there is one. */
    static Optional<Double> value(List<Sample> samples, String name) {
        return samples.stream()
                .filter(s -> s.name().equals(name) && s.labels().isEmpty())
                .map(Sample::value)
                .findFirst();
    }

    private static Map<String, String> labels(String line, String text) {
        Map<String, String> labels = new LinkedHashMap<>();
        if (text == null) {
            return labels;
        }
        Matcher label = LABEL.matcher(text);
        int end = 0;
        while (label.find() && label.start() == end) {
            labels.put(label.group(1), unescape(label.group(2)));
            end = label.end();
        }
        assertThat(end).as("labels of %s", line).isEqualTo(text.length());
        return labels;
    }

    private static String unescape(String value) {
        return value.replace("\\n", "\n").replace("\\\"", "\"").replace("\\\\", "\\");
    }
}
