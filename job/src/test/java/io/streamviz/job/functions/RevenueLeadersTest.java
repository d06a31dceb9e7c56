package io.streamviz.job.functions;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RevenueLeadersTest {
    @Test
    void admitsUntilFullThenOnlyWhatBeatsTheSmallest() {
        RevenueLeaders leaders = new RevenueLeaders(2);
        assertThat(leaders.offer("a", 100)).isTrue();
        assertThat(leaders.offer("b", 50)).isTrue();
        assertThat(leaders.offer("c", 40)).as("below the smallest kept").isFalse();
        assertThat(leaders.offer("c", 50)).as("a tie loses, as in the table").isFalse();
        assertThat(leaders.offer("c", 60)).as("beats b, which drops out").isTrue();
        assertThat(leaders.offer("b", 55)).as("b is out now and below c").isFalse();
        assertThat(leaders.offer("b", 70)).as("b beats c now").isTrue();
        assertThat(leaders.offer("c", 65)).as("c dropped out").isFalse();
    }

    @Test
    void aKeptMemberStaysInWhateverItsRevenue() {
        RevenueLeaders leaders = new RevenueLeaders(2);
        leaders.offer("a", 10);
        leaders.offer("b", 20);
        assertThat(leaders.offer("a", 15)).isTrue();
        assertThat(leaders.offer("c", 14)).as("a's new revenue is the smallest").isFalse();
        assertThat(leaders.offer("c", 16)).isTrue();
        assertThat(leaders.offer("a", 17)).as("a was pushed out by c").isTrue();
    }
}
