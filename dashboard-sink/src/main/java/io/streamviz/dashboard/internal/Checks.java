package io.streamviz.dashboard.internal;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.regex.Pattern;

/** Validation shared by the specs, the update records and the server. */
public final class Checks {

    private static final Pattern WIDGET_ID = Pattern.compile("[A-Za-z0-9_-]+");

    /** Hex colors and CSS color keywords: enough for a theme, and nothing a style could abuse. */
    private static final Pattern COLOR =
            Pattern.compile("#(?:[0-9a-fA-F]{3,4}|[0-9a-fA-F]{6}|[0-9a-fA-F]{8})|[a-zA-Z]{3,30}");

    /**
     * Bounds on accepted decimals. A value such as 1E-100000 would print as a hundred thousand
     * digits in plain notation, so precision and scale are capped well above any real metric.
     */
    private static final int MAX_PRECISION = 60;

    private static final int MAX_ABS_SCALE = 30;

    private Checks() {}

    public static String widgetId(String id) {
        if (id == null || !WIDGET_ID.matcher(id).matches()) {
            throw new IllegalArgumentException(
                    "widget id must match [A-Za-z0-9_-]+, was " + quote(id));
        }
        return id;
    }

    /** Returns {@code color}, which may be null for the theme's default. */
    public static String color(String owner, String option, String color) {
        if (color != null && !COLOR.matcher(color).matches()) {
            throw new IllegalArgumentException(
                    owner
                            + ": "
                            + option
                            + " must be a hex color (#rgb, #rrggbb) or a CSS color name, was "
                            + quote(color));
        }
        return color;
    }

    public static String notBlank(String owner, String option, String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(owner + ": " + option + " must not be blank");
        }
        return value;
    }

    public static int between(String owner, String option, int value, int min, int max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(
                    owner
                            + ": "
                            + option
                            + " must be between "
                            + min
                            + " and "
                            + max
                            + ", was "
                            + value);
        }
        return value;
    }

    public static double finite(String owner, String option, double value) {
        if (!Double.isFinite(value)) {
            throw new IllegalArgumentException(
                    owner + ": " + option + " must be a finite number, was " + value);
        }
        return value;
    }

    /** Checks a widget value: non-null and of a size that prints as a plain JSON number. */
    public static BigDecimal decimal(String widgetId, BigDecimal value) {
        if (value == null) {
            throw new IllegalArgumentException("widget '" + widgetId + "': value must not be null");
        }
        if (value.precision() > MAX_PRECISION || Math.abs(value.scale()) > MAX_ABS_SCALE) {
            throw new IllegalArgumentException(
                    "widget '"
                            + widgetId
                            + "': value "
                            + value
                            + " exceeds "
                            + MAX_PRECISION
                            + " digits or a scale of "
                            + MAX_ABS_SCALE);
        }
        return value;
    }

    /**
     * Converts a double the way a person reads it: {@code 0.1} becomes {@code 0.1}, not the binary
     * expansion {@code new BigDecimal(0.1)} would give.
     */
    public static BigDecimal decimal(String widgetId, double value) {
        if (!Double.isFinite(value)) {
            throw new IllegalArgumentException(
                    "widget '" + widgetId + "': value must be a finite number, was " + value);
        }
        return decimal(widgetId, BigDecimal.valueOf(value));
    }

    /**
     * Normalises one table cell to the types the server writes and stores: String, Long,
     * BigDecimal, Double or Boolean.
     */
    public static Object cell(String widgetId, String column, Object value) {
        if (value instanceof String || value instanceof Long || value instanceof Boolean) {
            return value;
        }
        if (value instanceof Integer || value instanceof Short || value instanceof Byte) {
            return ((Number) value).longValue();
        }
        if (value instanceof BigDecimal decimal) {
            return decimal(widgetId, decimal);
        }
        if (value instanceof BigInteger integer) {
            return decimal(widgetId, new BigDecimal(integer));
        }
        if (value instanceof Double || value instanceof Float) {
            double d = ((Number) value).doubleValue();
            if (!Double.isFinite(d)) {
                throw new IllegalArgumentException(
                        "table '"
                                + widgetId
                                + "': column '"
                                + column
                                + "' must be a finite number, was "
                                + d);
            }
            return value instanceof Float ? Double.valueOf(value.toString()) : value;
        }
        throw new IllegalArgumentException(
                "table '"
                        + widgetId
                        + "': column '"
                        + column
                        + "' must be a String, Long, Integer, BigDecimal, Double or Boolean, was "
                        + (value == null ? "null" : value.getClass().getName()));
    }

    private static String quote(String s) {
        return s == null ? "null" : "'" + s + "'";
    }
}
