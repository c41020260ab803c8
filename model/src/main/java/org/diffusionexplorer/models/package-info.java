/**
 * Trained weights and where they come from: {@link org.diffusionexplorer.models.RunWeights} (one set
 * of weights with its run's config) out of a checkpoint file, a {@link
 * org.diffusionexplorer.models.ModelFolder} (a model small enough to ship), the {@link
 * org.diffusionexplorer.models.BundledModels} of assets/models, or a reference .pt ({@link
 * org.diffusionexplorer.models.ReferenceCheckpoint}). The newest weights of one of this project's
 * run folders are read by train.RunOpening, which owns the check that a checkpoint belongs to its run.
 */
package org.diffusionexplorer.models;
