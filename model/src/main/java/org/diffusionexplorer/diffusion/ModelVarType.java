package org.diffusionexplorer.diffusion;

/** Where the variance of p(x_{t-1} | x_t) comes from. */
public enum ModelVarType {
    /** the network's extra C channels are the log variance. */
    LEARNED,
    /** the posterior variance beta~_t (lower bound of the reverse variance). */
    FIXED_SMALL,
    /** beta_t (upper bound), with the posterior variance at t=0 for a better decoder likelihood. */
    FIXED_LARGE,
    /** the extra channels v in [-1, 1] interpolate log variance between FIXED_SMALL and FIXED_LARGE. */
    LEARNED_RANGE;

    /** True when the network emits 2C channels. */
    public boolean isLearned() {
        return this == LEARNED || this == LEARNED_RANGE;
    }
}
