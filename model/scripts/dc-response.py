#!/usr/bin/env python3
"""How much of a constant offset added to x_t reaches the UNet's output (the slope d mean(out) / d offset).

An epsilon-predicting model at large t should answer with a slope near 1 (there eps ~ x_t); a UNet whose
output GroupNorm holds one channel per group (model_channels 32) cannot, which is why such a model samples
white or black blobs. Usage (numpy needed; runs the CLI's unet-forward on 4 noise images x 5 offsets):
  model/scripts/dc-response.py assets/models/digits [model/target/diffusion-cli.jar]
"""
import json, os, subprocess, sys, tempfile
import numpy as np

model_dir = sys.argv[1]
jar = sys.argv[2] if len(sys.argv) > 2 else "model/target/diffusion-cli.jar"
cfg = json.load(open(os.path.join(model_dir, "config.json")))
m = cfg["model"]
offsets = [-0.3, -0.1, 0.0, 0.1, 0.3]
with tempfile.TemporaryDirectory() as tmp:
    json.dump(m, open(os.path.join(tmp, "model.json"), "w"))
    noise = np.random.default_rng(0).standard_normal((4, m["in_channels"], m["image_size"], m["image_size"]))
    x = np.concatenate([noise + o for o in offsets]).astype(np.float32)
    np.save(os.path.join(tmp, "x.npy"), x)
    steps = cfg["diffusion"]["diffusion_steps"]
    print("model", model_dir, "predict_xstart", cfg["diffusion"]["predict_xstart"])
    for t in [steps - 1, int(steps * 0.7), int(steps * 0.3)]:
        np.save(os.path.join(tmp, "t.npy"), np.full(len(x), t, dtype=np.int64))
        out = os.path.join(tmp, "out.npy")
        subprocess.run(["java", "-jar", jar, "unet-forward", "--config", os.path.join(tmp, "model.json"),
                        "--weights", os.path.join(model_dir, "weights.npz"), "--x", os.path.join(tmp, "x.npy"),
                        "--t", os.path.join(tmp, "t.npy"), "--out", out], check=True, stdout=subprocess.DEVNULL)
        means = np.load(out).reshape(len(offsets), 4, -1).mean(axis=2)
        slope = (means[-1] - means[0]) / (offsets[-1] - offsets[0])
        print(f"t={t:5d}  slope of mean(output) over the offset: {slope.mean():.3f} (per image {np.round(slope, 3)})")
