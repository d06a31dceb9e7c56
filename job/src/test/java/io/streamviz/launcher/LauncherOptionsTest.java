package io.streamviz.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** A bad command line stops the launcher before anything starts, naming what is wrong. */
class LauncherOptionsTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @Test
    void aPortThatIsNotANumberIsRefusedByName() {
        int exit = launch("demo", "--port", "abc");

        assertThat(exit).isEqualTo(Launcher.EXIT_USAGE);
        assertThat(stderr()).contains("--port must be a TCP port from 0 to 65535, was 'abc'");
    }

    @Test
    void anUnknownOptionIsRefusedByName() {
        int exit = launch("run", "--colour", "blue");

        assertThat(exit).isEqualTo(Launcher.EXIT_USAGE);
        assertThat(stderr()).contains("unknown option --colour");
    }

    @Test
    void aMalformedDurationIsRefusedWithTheValue() {
        int exit = launch("demo", "--checkpoint-interval", "ten seconds");

        assertThat(exit).isEqualTo(Launcher.EXIT_USAGE);
        assertThat(stderr()).contains("--checkpoint-interval", "'ten seconds'");
    }

    @Test
    void aRateOfZeroIsRefused() {
        int exit = launch("produce", "--rate", "0");

        assertThat(exit).isEqualTo(Launcher.EXIT_USAGE);
        assertThat(stderr()).contains("--rate must be a positive whole number, was '0'");
    }

    @Test
    void anUnknownCommandIsRefused() {
        int exit = launch("explode");

        assertThat(exit).isEqualTo(Launcher.EXIT_USAGE);
        assertThat(stderr()).contains("unknown command 'explode'");
    }

    @Test
    void helpListsTheCommandsOptions() {
        int exit = launch("demo", "--help");

        assertThat(exit).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("--kafka-port", "--no-generator");
    }

    private int launch(String... args) {
        return Launcher.run(
                args,
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String stderr() {
        return err.toString(StandardCharsets.UTF_8);
    }
}
