package io.streamviz.job.functions;

/** A record that is not a valid order; the message is the reason written to the dead letters. */
public class InvalidOrderException extends Exception {
    public InvalidOrderException(String reason) {
        super(reason);
    }
}
