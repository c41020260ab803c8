/** Charts written as PNG files by the headless commands: the loss curve shipped beside a model. */
package org.diffusionexplorer.plot;
