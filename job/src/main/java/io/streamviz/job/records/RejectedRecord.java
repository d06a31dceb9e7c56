package io.streamviz.job.records;

/**
 * A Kafka record that is not a valid order, with the reason. It goes to the dead-letter topic and
 * is counted, never into the totals.
 */
public class RejectedRecord {
    public String error;
    public String record;

    public RejectedRecord() {}

    public RejectedRecord(String error, String record) {
        this.error = error;
        this.record = record;
    }

    @Override
    public String toString() {
        return "RejectedRecord{" + error + "}";
    }
}
