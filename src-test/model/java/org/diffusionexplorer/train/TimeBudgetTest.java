package org.diffusionexplorer.train;

import static org.junit.jupiter.api.Assertions.*;

import org.diffusionexplorer.unet.InvalidConfigException;
import org.junit.jupiter.api.Test;

class TimeBudgetTest {
    private static final long S = 1_000_000_000L;

    @Test
    void onlyAPositiveNumberOfMinutesUpToAWeekIsAccepted() {
        for (double bad : new double[] {0, -1, Double.NaN, Double.POSITIVE_INFINITY, 7 * 24 * 60 + 1}) {
            InvalidConfigException e = assertThrows(InvalidConfigException.class, () -> TimeBudget.minutes(bad), "minutes " + bad);
            assertTrue(e.getMessage().contains("minutes"), e.getMessage());
        }
        assertEquals(600, TimeBudget.minutes(10).seconds(), 0);
        assertEquals(7 * 24 * 3600, TimeBudget.minutes(7 * 24 * 60).seconds(), 0);
    }

    @Test
    void theEndStepFollowsThePaceAndLeavesRoomForTheClosingWork() {
        TimeBudget b = TimeBudget.minutes(100 / 60.0); // 100 s
        b.start(50, 0);
        assertEquals(0, b.estimatedEndStep(50, 0), "unknown before the first step");
        assertFalse(b.over(50, 0));
        // 10 steps in 10 s: 90 s left at 1 s a step
        assertEquals(60 + 1 + 90, b.estimatedEndStep(60, 10 * S));
        // the pace slows to 1.5 s a step over the session: 70 s left is 46 more steps
        assertEquals(70 + 1 + 46, b.estimatedEndStep(70, 30 * S));
        b.saved(4);
        b.sampled(6);
        assertEquals(70 + 1 + 40, b.estimatedEndStep(70, 30 * S), "10 s kept for the closing checkpoint and grid");
        assertFalse(b.over(70, 30 * S));
        assertFalse(b.over(130, 88 * S), "88 s + a step of 1.1 s + 10 s of closing work < 100 s");
        assertTrue(b.over(130, 89 * S), "89 s + a step of 1.11 s + 10 s of closing work > 100 s");
        assertEquals(12, b.secondsLeft(88 * S), 1e-9);
        assertEquals(0, b.secondsLeft(200 * S), 0);
    }
}
