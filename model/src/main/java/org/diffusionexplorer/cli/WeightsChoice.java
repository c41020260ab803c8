package org.diffusionexplorer.cli;

import java.io.IOException;
import org.diffusionexplorer.models.RunWeights;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Option;

/**
 * The weights a command samples from, as one mixin for sample, interpolate, evaluate and vb-terms:
 * exactly one {@link WeightsSource} and, for a run or checkpoint, which set (--ema).
 */
public final class WeightsChoice {
    @ArgGroup(exclusive = true, multiplicity = "1")
    WeightsSource source;

    @Option(names = "--ema", paramLabel = "RATE|model", description = "Which weights: an EMA rate, or 'model' for the raw weights (default: the first EMA).")
    String ema;

    RunWeights load() throws IOException {
        return source.load(ema);
    }
}
