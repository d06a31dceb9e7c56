package io.streamviz.job.functions;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.util.JsonRecyclerPools;
import io.streamviz.job.records.Order;
import java.io.IOException;
import java.io.Serializable;
import java.math.BigDecimal;

/**
 * Reads one order from its JSON text and checks it against the order schema.
 *
 * <p>Streams over the tokens instead of building a tree: the job parses every record, so the parser
 * is on the hot path. Thread-safe; one instance may serve many threads.
 */
public final class OrderParser implements Serializable {
    private static final long serialVersionUID = 1L;

    static final BigDecimal MAX_AMOUNT = new BigDecimal("1000000000");
    private static final long MAX_AMOUNT_CENTS = 100_000_000_000L;

    private static final JsonFactory JSON =
            JsonFactory.builder()
                    // Jackson's default pool keeps buffers in a ThreadLocal; in a Flink task
                    // thread, whose map of thread locals is crowded, that lookup was a fifth of
                    // the parse.
                    .recyclerPool(JsonRecyclerPools.newLockFreePool())
                    // An order is small; a record with huge numbers or strings is hostile.
                    .streamReadConstraints(
                            StreamReadConstraints.builder()
                                    .maxNumberLength(64)
                                    .maxStringLength(64 * 1024)
                                    .maxNestingDepth(16)
                                    .build())
                    .build();

    /**
     * Returns the order the text describes.
     *
     * @throws InvalidOrderException with a reason a person can act on, when the text is not a valid
     *     order
     */
    public Order parse(String text) throws InvalidOrderException {
        if (text == null || text.isBlank()) {
            throw new InvalidOrderException("empty record");
        }
        try (JsonParser parser = JSON.createParser(text)) {
            Order order = readOrder(parser);
            if (parser.nextToken() != null) {
                throw new InvalidOrderException("not JSON: trailing content after the object");
            }
            return order;
        } catch (IOException e) {
            throw new InvalidOrderException("not JSON: " + firstLine(e.getMessage()));
        }
    }

    private static Order readOrder(JsonParser parser) throws IOException, InvalidOrderException {
        if (parser.nextToken() != JsonToken.START_OBJECT) {
            throw new InvalidOrderException("not a JSON object");
        }
        String orderId = null;
        String region = null;
        String category = null;
        String customerId = null;
        Long amountCents = null;
        Long eventTimeMs = null;
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String field = parser.currentName();
            JsonToken value = parser.nextToken();
            switch (field) {
                case "order_id" -> orderId = readText(parser, value, field);
                case "region" -> region = readText(parser, value, field);
                case "category" -> category = readText(parser, value, field);
                case "customer_id" -> customerId = readText(parser, value, field);
                case "amount" -> amountCents = readAmountCents(parser, value);
                case "ts" -> eventTimeMs = readTimestamp(parser, value);
                default -> parser.skipChildren(); // unknown fields are allowed and ignored
            }
        }
        require(orderId, "order_id");
        require(amountCents, "amount");
        require(region, "region");
        require(category, "category");
        require(customerId, "customer_id");
        require(eventTimeMs, "ts");
        return new Order(orderId, amountCents, region, category, customerId, eventTimeMs);
    }

    private static String readText(JsonParser parser, JsonToken token, String field)
            throws IOException, InvalidOrderException {
        if (token != JsonToken.VALUE_STRING) {
            throw new InvalidOrderException(
                    "field " + field + " must be a string, was " + describe(token));
        }
        String text = parser.getText();
        if (text.isEmpty()) {
            throw new InvalidOrderException("field " + field + " must not be empty");
        }
        return text;
    }

    private static long readAmountCents(JsonParser parser, JsonToken token)
            throws IOException, InvalidOrderException {
        if (token != JsonToken.VALUE_NUMBER_INT && token != JsonToken.VALUE_NUMBER_FLOAT) {
            throw new InvalidOrderException(
                    "field amount must be a number, was " + describe(token));
        }
        long cents =
                plainCents(
                        parser.getTextCharacters(), parser.getTextOffset(), parser.getTextLength());
        if (cents >= 0) {
            return cents;
        }
        // Anything else (a sign, an exponent, a third decimal, out of range) takes the exact
        // decimal path, which also words the rejection. The value comes from the text itself, so
        // 12.345 is seen as having 3 decimals rather than being rounded through a double first.
        BigDecimal amount = parser.getDecimalValue();
        if (amount.signum() < 0 || amount.compareTo(MAX_AMOUNT) > 0) {
            throw new InvalidOrderException(
                    "amount out of range 0 to 1000000000: " + amount.toPlainString());
        }
        if (amount.stripTrailingZeros().scale() > 2) {
            throw new InvalidOrderException(
                    "amount has more than 2 decimal places: " + amount.toPlainString());
        }
        return amount.movePointRight(2).longValueExact();
    }

    /**
     * The cents of a number written the way orders write money: digits, optionally a point and
     * decimals of which only the first two may be other than zero ({@code 12}, {@code 12.5}, {@code
     * 12.50}, {@code 12.500}), within range. Returns -1 for any other text, which is then read as a
     * {@link BigDecimal}: every order is parsed, and most never need one.
     */
    static long plainCents(char[] text, int offset, int length) {
        int end = offset + length;
        int i = offset;
        long whole = 0;
        for (; i < end && isDigit(text[i]); i++) {
            if (i - offset == 10) {
                return -1; // beyond 1,000,000,000 whatever follows
            }
            whole = whole * 10 + (text[i] - '0');
        }
        if (i == offset) {
            return -1;
        }
        long fraction = 0;
        if (i < end) {
            if (text[i] != '.' || i + 1 == end) {
                return -1;
            }
            int firstDecimal = ++i;
            for (; i < end; i++) {
                char c = text[i];
                if (!isDigit(c)) {
                    return -1;
                }
                int place = i - firstDecimal;
                if (place < 2) {
                    fraction += (c - '0') * (place == 0 ? 10 : 1);
                } else if (c != '0') {
                    return -1;
                }
            }
        }
        long cents = whole * 100 + fraction;
        return cents <= MAX_AMOUNT_CENTS ? cents : -1;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static long readTimestamp(JsonParser parser, JsonToken token)
            throws IOException, InvalidOrderException {
        if (token != JsonToken.VALUE_NUMBER_INT) {
            throw new InvalidOrderException(
                    "field ts must be epoch milliseconds (an integer), was " + describe(token));
        }
        if (parser.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
            throw new InvalidOrderException("field ts out of range: " + parser.getText());
        }
        long ts = parser.getLongValue();
        if (ts < 0) {
            throw new InvalidOrderException("field ts must not be negative: " + ts);
        }
        return ts;
    }

    private static void require(Object value, String field) throws InvalidOrderException {
        if (value == null) {
            throw new InvalidOrderException("missing field: " + field);
        }
    }

    private static String describe(JsonToken token) {
        if (token == null) {
            return "nothing";
        }
        return switch (token) {
            case VALUE_STRING -> "a string";
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
            case VALUE_TRUE, VALUE_FALSE -> "a boolean";
            case VALUE_NULL -> "null";
            case START_OBJECT -> "an object";
            case START_ARRAY -> "an array";
            default -> token.name();
        };
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "unreadable";
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}
