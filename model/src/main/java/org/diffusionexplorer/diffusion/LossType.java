package org.diffusionexplorer.diffusion;

/** Training objective. */
public enum LossType {
    /** MSE on the mean target; plus the variational bound term when variances are learned. */
    MSE,
    /** as MSE, but the bound term is scaled by T/1000. */
    RESCALED_MSE,
    /** the variational bound alone. */
    KL,
    /** the bound times T, an estimate of the full bound. */
    RESCALED_KL;

    public boolean isVb() {
        return this == KL || this == RESCALED_KL;
    }
}
