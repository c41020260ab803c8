package org.diffusionexplorer.app.training;

import org.diffusionexplorer.app.view.PixelGrid;

/**
 * Two grids of samples drawn at one step from the same starting noise: one from the EMA weights
 * (what the run keeps for sampling) and one from the raw weights the optimiser just updated
 * ({@code raw} is null when the run drew the EMA grid only).
 */
public record SampleGrids(long step, PixelGrid ema, PixelGrid raw, String emaName) {
}
