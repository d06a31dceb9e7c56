package io.streamviz.savepoints;

import static io.streamviz.testing.Orders.T0;

import io.streamviz.testing.GeneratedOrders;

/**
 * The fixed orders behind every reference savepoint: whoever restores one knows exactly which
 * figures it holds. Never change these numbers; add a new set for a new kind of savepoint.
 */
final class ReferenceJob {
    static final long SEED = 2026;
    static final int RECORDS = 200;

    /** Orders sent after the restore: fewer records than the reference topic held (see test). */
    static final long FOLLOW_UP_SEED = 99;

    static final int FOLLOW_UP_RECORDS = 50;

    private ReferenceJob() {}

    static GeneratedOrders referenceOrders() {
        return GeneratedOrders.generate(SEED, RECORDS, "ref-", T0);
    }

    /** The reference orders and then the follow-up ones, ten minutes of event time later. */
    static GeneratedOrders referenceAndFollowUpOrders() {
        return referenceOrders().add(FOLLOW_UP_SEED, FOLLOW_UP_RECORDS, "next-", T0 + 600_000);
    }
}
