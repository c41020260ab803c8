#!/usr/bin/env python3
"""The reference's side of bench-vs-reference.sh: times improved-diffusion (PyTorch) on the same
work as `diffusion-cli bench`, and prints the same machine-readable last line.

  --preset A         forward (eval, no grad) and one training step: forward, epsilon-MSE against a
                     random target, backward, AdamW(lr 1e-4), as BenchCommand does; batch 32
  --sampling         DDIM (eta 0) with the digits model's architecture over 50 evenly spaced steps
                     of a cosine 1000-step x0-predicting process, 16 images, classes 0..9 in turn,
                     as `bench --sampling` (random weights: the time does not depend on them)

Needs python3-torch and a checkout of openai/improved-diffusion (--ref DIR or $IMPROVED_DIFFUSION).
Thread count: --threads (default: every core); run it with OMP_WAIT_POLICY=PASSIVE as the script does.
"""
import argparse
import os
import statistics
import sys
import time


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--ref", default=os.environ.get("IMPROVED_DIFFUSION"), help="improved-diffusion checkout")
    ap.add_argument("--preset", choices=["A"])
    ap.add_argument("--sampling", action="store_true")
    ap.add_argument("--threads", type=int, default=os.cpu_count())
    ap.add_argument("--batch", type=int, default=32)
    ap.add_argument("--iters", type=int)
    ap.add_argument("--n", type=int, default=16)
    ap.add_argument("--steps", type=int, default=50)
    a = ap.parse_args()
    if not a.ref or not os.path.isdir(os.path.join(a.ref, "improved_diffusion")):
        sys.exit("bench_reference.py: give --ref DIR (or IMPROVED_DIFFUSION), a checkout of openai/improved-diffusion")
    if a.preset is None and not a.sampling:
        sys.exit("bench_reference.py: give --preset A or --sampling")
    sys.path.insert(0, a.ref)
    import torch
    from improved_diffusion.unet import UNetModel
    torch.set_num_threads(a.threads)
    torch.manual_seed(1234)
    print(f"reference: torch {torch.__version__}, threads {torch.get_num_threads()}, "
          f"OMP_WAIT_POLICY={os.environ.get('OMP_WAIT_POLICY', '(unset)')}", flush=True)
    if a.sampling:
        sampling(a, torch, UNetModel)
    else:
        preset_a(a, torch, UNetModel)


def preset_a(a, torch, UNetModel):
    # UNetPresets.presetA(): 32x32x1, C=32, mult 1,2,2, 2 res blocks, attention at ds 4, 4 heads, scale-shift
    model = UNetModel(in_channels=1, model_channels=32, out_channels=1, num_res_blocks=2, attention_resolutions=(4,),
                      dropout=0.0, channel_mult=(1, 2, 2), num_heads=4, use_scale_shift_norm=True)
    opt = torch.optim.AdamW(model.parameters(), lr=1e-4, weight_decay=0.0)
    b = a.batch
    x = torch.randn(b, 1, 32, 32)
    t = torch.randint(0, 1000, (b,)).float()
    eps = torch.randn(b, 1, 32, 32)
    iters = a.iters or 10
    fwd, step = [], []
    for i in range(2 + iters):
        model.eval()
        t0 = time.perf_counter()
        with torch.no_grad():
            model(x, t)
        t1 = time.perf_counter()
        model.train()
        opt.zero_grad()
        loss = ((model(x, t) - eps) ** 2).mean()
        loss.backward()
        opt.step()
        t2 = time.perf_counter()
        if i >= 2:
            fwd.append((t1 - t0) * 1e3)
            step.append((t2 - t1) * 1e3)
        print(f"{'iter' if i >= 2 else 'warmup'} {i}: forward {(t1 - t0) * 1e3:7.0f} ms, train step {(t2 - t1) * 1e3:7.0f} ms, "
              f"loss {loss.item():.4f}", flush=True)
    print(f"preset=A batch={b} forward_ms={statistics.median(fwd):.0f} train_step_ms={statistics.median(step):.0f}")


def sampling(a, torch, UNetModel):
    from improved_diffusion.script_util import create_gaussian_diffusion
    # assets/models/digits/config.json's architecture
    model = UNetModel(in_channels=1, model_channels=32, out_channels=1, num_res_blocks=1, attention_resolutions=(4,),
                      dropout=0.0, channel_mult=(1, 2, 2), num_classes=10, num_heads=4, use_scale_shift_norm=True)
    model.eval()
    diffusion = create_gaussian_diffusion(steps=1000, learn_sigma=False, noise_schedule="cosine", predict_xstart=True,
                                          rescale_timesteps=True, timestep_respacing=str(a.steps))
    y = torch.arange(a.n) % 10
    iters = a.iters or 3
    ms = []
    for i in range(1 + iters):
        t0 = time.perf_counter()
        with torch.no_grad():
            diffusion.ddim_sample_loop(model, (a.n, 1, 28, 28), clip_denoised=True, model_kwargs={"y": y}, eta=0.0)
        took = (time.perf_counter() - t0) * 1e3
        if i > 0:
            ms.append(took)
        print(f"{'warmup' if i == 0 else 'run ' + str(i)}: {took:6.0f} ms ({took / a.steps:.1f} ms a step)", flush=True)
    print(f"sampling model=digits n={a.n} steps={a.steps} sample_ms={statistics.median(ms):.0f}")


if __name__ == "__main__":
    main()
