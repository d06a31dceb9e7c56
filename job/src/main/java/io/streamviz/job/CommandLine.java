package io.streamviz.job;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The options of one command, parsed once. Accepts {@code --name value} and {@code --name=value};
 * an option the command does not know, a missing value or a malformed one stops the command with a
 * {@link UsageException} that names the option and the value.
 *
 * <p>Where an option has an environment variable, the precedence is: the option, then the variable,
 * then the default.
 */
public final class CommandLine {
    private static final Pattern DURATION = Pattern.compile("(\\d+)(ms|s|m|h|d)");

    private final Map<String, String> values;
    private final Set<String> flags;
    private final List<String> positional;
    private final Function<String, String> environment;

    private CommandLine(
            Map<String, String> values,
            Set<String> flags,
            List<String> positional,
            Function<String, String> environment) {
        this.values = values;
        this.flags = flags;
        this.positional = positional;
        this.environment = environment;
    }

    /**
     * Parses {@code args} against the options a command accepts.
     *
     * @param valueOptions option names (without dashes) that take a value
     * @param flagOptions option names that take none
     */
    public static CommandLine parse(
            List<String> args,
            Set<String> valueOptions,
            Set<String> flagOptions,
            Function<String, String> environment)
            throws UsageException {
        Map<String, String> values = new LinkedHashMap<>();
        Set<String> flags = new java.util.HashSet<>();
        List<String> positional = new ArrayList<>();
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (!arg.startsWith("--")) {
                positional.add(arg);
                continue;
            }
            String name = arg.substring(2);
            String inlineValue = null;
            int equals = name.indexOf('=');
            if (equals >= 0) {
                inlineValue = name.substring(equals + 1);
                name = name.substring(0, equals);
            }
            if (flagOptions.contains(name)) {
                if (inlineValue != null) {
                    throw new UsageException(
                            "--" + name + " takes no value, got '" + inlineValue + "'");
                }
                flags.add(name);
            } else if (valueOptions.contains(name)) {
                String value = inlineValue;
                if (value == null) {
                    if (i + 1 >= args.size() || args.get(i + 1).startsWith("--")) {
                        throw new UsageException("--" + name + " needs a value");
                    }
                    value = args.get(++i);
                }
                values.put(name, value);
            } else {
                throw new UsageException("unknown option --" + name);
            }
        }
        return new CommandLine(
                values, flags, Collections.unmodifiableList(positional), environment);
    }

    public List<String> positional() {
        return positional;
    }

    /** Stops a command that takes no arguments besides its options. */
    public void requireNoArguments() throws UsageException {
        if (!positional.isEmpty()) {
            throw new UsageException("unexpected argument '" + positional.get(0) + "'");
        }
    }

    public boolean flag(String name) {
        return flags.contains(name);
    }

    /** The option's value, else the environment variable's (when named), else the default. */
    public String string(String name, String environmentVariable, String defaultValue)
            throws UsageException {
        String value = raw(name, environmentVariable);
        if (value == null) {
            return defaultValue;
        }
        if (value.isBlank()) {
            throw new UsageException(source(name, environmentVariable) + " must not be empty");
        }
        return value;
    }

    /** The value, or null when neither the option nor its variable is set. */
    public String optionalString(String name, String environmentVariable) throws UsageException {
        return string(name, environmentVariable, null);
    }

    public int port(String name, String environmentVariable, int defaultPort)
            throws UsageException {
        String value = raw(name, environmentVariable);
        if (value == null) {
            return defaultPort;
        }
        try {
            int port = Integer.parseInt(value.trim());
            if (port >= 0 && port <= 65535) {
                return port;
            }
        } catch (NumberFormatException e) {
            // fall through to the usage error below
        }
        throw new UsageException(
                source(name, environmentVariable)
                        + " must be a TCP port from 0 to 65535, was '"
                        + value
                        + "'");
    }

    public int positiveInt(String name, int defaultValue) throws UsageException {
        String value = values.get(name);
        if (value == null) {
            return defaultValue;
        }
        try {
            int number = Integer.parseInt(value.trim());
            if (number > 0) {
                return number;
            }
        } catch (NumberFormatException e) {
            // fall through to the usage error below
        }
        throw new UsageException(
                "--" + name + " must be a positive whole number, was '" + value + "'");
    }

    /**
     * A positive duration such as {@code 500ms}, {@code 10s}, {@code 5m}, {@code 2h} or {@code 7d}.
     */
    public Duration duration(String name, Duration defaultValue) throws UsageException {
        String value = values.get(name);
        if (value == null) {
            return defaultValue;
        }
        Matcher matcher = DURATION.matcher(value.trim());
        if (matcher.matches()) {
            long amount = Long.parseLong(matcher.group(1));
            Duration duration =
                    switch (matcher.group(2)) {
                        case "ms" -> Duration.ofMillis(amount);
                        case "s" -> Duration.ofSeconds(amount);
                        case "m" -> Duration.ofMinutes(amount);
                        case "h" -> Duration.ofHours(amount);
                        default -> Duration.ofDays(amount);
                    };
            if (!duration.isZero()) {
                return duration;
            }
        }
        throw new UsageException(
                "--"
                        + name
                        + " must be a positive duration such as 500ms, 10s or 5m, was '"
                        + value
                        + "'");
    }

    public Path path(String name, String environmentVariable, String defaultValue)
            throws UsageException {
        String value = string(name, environmentVariable, defaultValue);
        try {
            return Path.of(value).toAbsolutePath().normalize();
        } catch (InvalidPathException e) {
            throw new UsageException(
                    source(name, environmentVariable) + " is not a valid path: '" + value + "'");
        }
    }

    private String raw(String name, String environmentVariable) {
        String value = values.get(name);
        if (value == null && environmentVariable != null) {
            value = environment.apply(environmentVariable);
        }
        return value;
    }

    private String source(String name, String environmentVariable) {
        if (values.containsKey(name) || environmentVariable == null) {
            return "--" + name;
        }
        return "--" + name + " (from " + environmentVariable + ")";
    }

    /** A command line that cannot be run; the message names the option and the value. */
    public static final class UsageException extends Exception {
        public UsageException(String message) {
            super(message);
        }
    }
}
