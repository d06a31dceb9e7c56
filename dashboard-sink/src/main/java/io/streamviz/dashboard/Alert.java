package io.streamviz.dashboard;

import java.math.BigDecimal;
import java.util.Locale;
import java.util.Optional;

/**
 * Whether a stat's or gauge's value crossed one of its alert thresholds ({@code alertAbove}, {@code
 * alertBelow}). A value exactly at a threshold is not in alert.
 */
public enum Alert {
    ABOVE,
    BELOW;

    /** The lower-case name used in JSON, {@code "above"} or {@code "below"}. */
    public String jsonName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The alert of {@code value} against the thresholds; each may be null for none. */
    static Optional<Alert> of(BigDecimal value, BigDecimal above, BigDecimal below) {
        if (above != null && value.compareTo(above) > 0) {
            return Optional.of(ABOVE);
        }
        if (below != null && value.compareTo(below) < 0) {
            return Optional.of(BELOW);
        }
        return Optional.empty();
    }
}
