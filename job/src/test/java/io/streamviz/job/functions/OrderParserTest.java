package io.streamviz.job.functions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamviz.job.records.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class OrderParserTest {
    private final OrderParser parser = new OrderParser();

    @Test
    void readsAValidOrderWithTheAmountInCents() throws Exception {
        Order order =
                parser.parse(
                        "{\"order_id\": \"o-1\", \"amount\": 12.5, \"region\": \"europe\","
                                + " \"category\": \"books\", \"customer_id\": \"c-7\","
                                + " \"ts\": 1764770000000, \"extra\": {\"ignored\": [1, 2]}}");

        assertThat(order)
                .isEqualTo(new Order("o-1", 1250, "europe", "books", "c-7", 1764770000000L));
    }

    @ParameterizedTest
    @CsvSource({
        "12.50, 1250",
        "0, 0",
        "7, 700",
        "0.01, 1",
        "1000000000, 100000000000",
        "1000000000.00, 100000000000",
        "3.10, 310",
        "12.500, 1250",
        "0.5, 50",
        "99.99, 9999",
        // Not the way money is usually written, but valid JSON numbers with at most 2 decimals.
        "1e2, 10000",
        "1.5E1, 1500",
        "-0, 0"
    })
    void acceptsAmountsWithUpToTwoDecimals(String amount, long cents) throws Exception {
        assertThat(parser.parse(withAmount(amount)).amountCents).isEqualTo(cents);
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "12.345|amount has more than 2 decimal places: 12.345",
                "12.3401|amount has more than 2 decimal places: 12.3401",
                "1.2345e1|amount has more than 2 decimal places: 12.345",
                "12345678901|amount out of range 0 to 1000000000: 12345678901",
                "1e10|amount out of range 0 to 1000000000: 10000000000",
                "-0.01|amount out of range 0 to 1000000000: -0.01",
                "1000000000.01|amount out of range 0 to 1000000000: 1000000000.01",
                "\"12\"|field amount must be a number, was a string",
                "null|field amount must be a number, was null"
            })
    void rejectsBadAmountsWithTheReason(String amount, String reason) {
        assertThatThrownBy(() -> parser.parse(withAmount(amount)))
                .isInstanceOf(InvalidOrderException.class)
                .hasMessage(reason);
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "not json|not JSON: ",
                "[1, 2]|not a JSON object",
                "{\"order_id\": \"o\"}|missing field: amount",
                "{\"order_id\": \"\", \"amount\": 1, \"region\": \"r\", \"category\": \"c\","
                        + " \"customer_id\": \"c\", \"ts\": 1}|field order_id must not be empty",
                "{\"order_id\": 5, \"amount\": 1}|field order_id must be a string, was a number",
                "{\"order_id\": \"o\", \"amount\": 1, \"region\": \"r\", \"category\": \"c\","
                        + " \"customer_id\": \"c\", \"ts\": 1.5}"
                        + "|field ts must be epoch milliseconds (an integer), was a number",
                "{\"order_id\": \"o\", \"amount\": 1, \"region\": \"r\", \"category\": \"c\","
                        + " \"customer_id\": \"c\", \"ts\": 1} {}|not JSON: trailing content",
                "{\"order_id\": \"o\", \"amount\": 1, \"region\": \"r\", \"category\": \"c\","
                        + " \"ts\": 1}|missing field: customer_id"
            })
    void rejectsMalformedRecordsWithTheReason(String text, String reason) {
        assertThatThrownBy(() -> parser.parse(text))
                .isInstanceOf(InvalidOrderException.class)
                .hasMessageStartingWith(reason);
    }

    @Test
    void rejectsAnEmptyRecord() {
        assertThatThrownBy(() -> parser.parse(""))
                .isInstanceOf(InvalidOrderException.class)
                .hasMessage("empty record");
    }

    private static String withAmount(String amount) {
        return "{\"order_id\": \"o\", \"amount\": "
                + amount
                + ", \"region\": \"r\","
                + " \"category\": \"c\", \"customer_id\": \"c\", \"ts\": 1}";
    }
}
