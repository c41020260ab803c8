package org.diffusionexplorer.train;

/**
 * One point of the loss curve: a step's batch-mean loss and the mean loss of the items whose
 * timestep fell in each quarter of the process (NaN where the batch drew none). Rows read back from
 * metrics.csv ({@link MetricsLog.Tail}) are means over log_interval steps.
 */
public record LossPoint(long step, double loss, double[] lossQ) {
}
