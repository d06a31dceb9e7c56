package io.streamviz.job.functions;

import java.util.HashMap;
import java.util.Map;

/**
 * The members with the largest revenue, at most {@code capacity} of them: the rows a table widget
 * that keeps its {@code maxRows} best rows by revenue actually shows. Revenue only grows, so a
 * member that drops out never needs to come back unless its revenue rises above the smallest one
 * kept.
 *
 * <p>Ties follow the dashboard's table: a newcomer equal to the smallest kept revenue is not
 * admitted, just as the table evicts the later of two equal rows.
 *
 * <p>Not state: rebuilt from the per-member totals after a restore. Lookups are constant time; an
 * admission into a full board scans it ({@code capacity} entries) for the new smallest.
 */
final class RevenueLeaders {
    private final int capacity;
    private final Map<String, Long> revenueByMember = new HashMap<>();
    private String smallestMember;
    private long smallestRevenue;

    RevenueLeaders(int capacity) {
        this.capacity = capacity;
    }

    /**
     * Records the member's new revenue and tells whether it is now among the leaders (and so
     * belongs in the table).
     */
    boolean offer(String member, long revenueCents) {
        if (revenueByMember.containsKey(member)) {
            revenueByMember.put(member, revenueCents);
            if (member.equals(smallestMember)) {
                findSmallest();
            }
            return true;
        }
        if (revenueByMember.size() < capacity) {
            revenueByMember.put(member, revenueCents);
            if (smallestMember == null || revenueCents < smallestRevenue) {
                smallestMember = member;
                smallestRevenue = revenueCents;
            }
            return true;
        }
        if (revenueCents <= smallestRevenue) {
            return false;
        }
        revenueByMember.remove(smallestMember);
        revenueByMember.put(member, revenueCents);
        findSmallest();
        return true;
    }

    boolean isEmpty() {
        return revenueByMember.isEmpty();
    }

    private void findSmallest() {
        smallestMember = null;
        for (Map.Entry<String, Long> entry : revenueByMember.entrySet()) {
            if (smallestMember == null || entry.getValue() < smallestRevenue) {
                smallestMember = entry.getKey();
                smallestRevenue = entry.getValue();
            }
        }
    }
}
