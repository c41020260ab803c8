package org.diffusionexplorer.train;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.diffusionexplorer.config.RunConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A budgeted session of a run, then one without a budget in the same process (Resume in the app). */
class TimeBudgetRunTest {
    @TempDir
    Path dir;

    @Test
    void aBudgetsLrEstimateDoesNotOutliveItsSession() throws Exception {
        RunConfig cfg = TinyRuns.config(TinyRuns.imageFolder(dir.resolve("img"), 8), 1000); // lr 1e-3, no anneal
        try (TrainingRun run = RunOpening.create(dir.resolve("run"), cfg)) {
            List<Double> lrs = new ArrayList<>();
            run.addListener(new TrainingListener() {
                @Override
                public void onStep(StepMetrics m) {
                    lrs.add(m.lr());
                }
            });
            // 9 s: room for several steps after the first, which also records the execution plans
            assertEquals(RunStatus.COMPLETED, run.train(Long.MAX_VALUE, TimeBudget.minutes(0.15)).status());
            assertTrue(lrs.size() >= 2, "the budgeted session took steps: " + lrs.size());
            assertTrue(lrs.get(lrs.size() - 1) < 1e-3, "it annealed: " + lrs);
            lrs.clear();
            long at = run.step();
            assertEquals(RunStatus.COMPLETED, run.train(at + 3, null).status());
            assertEquals(List.of(1e-3, 1e-3, 1e-3), lrs, "the next session uses the config's constant lr");
        }
    }
}
