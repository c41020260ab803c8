#!/usr/bin/env python3
"""Regenerates the golden numbers in src-test/model/golden from the reference PyTorch code.

  /usr/bin/python3 model/scripts/make_golden.py --ref /path/to/improved-diffusion --out DIR [--check src-test/model/golden]

Needs Debian's python3-torch and python3-numpy and a checkout of openai/improved-diffusion (the files
in the repository came from commit 1bc7bbb, torch 1.13, numpy 1.24, CPU). Writes every file that
src-test/model/golden/README.md describes into DIR; with --check, compares each array with the
stored one and exits 1 on any difference beyond what a machine's arithmetic changes. Measured here
(Debian 12, torch 1.13, OpenBLAS-OpenMP, 2-core EPYC) against the stored files: config, inputs,
weights and the key list identical; schedules within 2e-15; float32 model outputs within 9e-6 (the
order of sums in BLAS and threads; the README's float32-vs-float64 gap is 5e-6); the float64 output
within 2e-7. The tolerances below are those, with headroom: schedules 1e-13, float32 outputs 5e-5,
float64 output 1e-6, the bits/dim terms of g1_bpd_cosine10 1e-4; the Java tests use 1e-4 and 1e-12 relative. SHA256SUMS is not
rewritten: npz files carry zip timestamps, so compare arrays, not bytes.
"""
import argparse
import json
import os
import sys

import numpy as np


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--ref", default=os.environ.get("IMPROVED_DIFFUSION"), required=False)
    ap.add_argument("--out", required=True)
    ap.add_argument("--check", help="a golden folder to compare with")
    a = ap.parse_args()
    if not a.ref or not os.path.isdir(os.path.join(a.ref, "improved_diffusion")):
        sys.exit("make_golden.py: give --ref DIR, a checkout of openai/improved-diffusion")
    sys.path.insert(0, a.ref)
    import torch
    from improved_diffusion import gaussian_diffusion as gd
    from improved_diffusion.nn import timestep_embedding
    from improved_diffusion.respace import SpacedDiffusion, space_timesteps
    from improved_diffusion.script_util import create_gaussian_diffusion
    from improved_diffusion.unet import UNetModel

    here = os.path.dirname(os.path.abspath(__file__))
    cfg_path = os.path.join(here, "..", "..", "src-test", "model", "golden", "g1_config.json")
    cfg = json.load(open(a.check and os.path.join(a.check, "g1_config.json") or cfg_path))
    os.makedirs(a.out, exist_ok=True)
    out = lambda name: os.path.join(a.out, name)
    json.dump(cfg, open(out("g1_config.json"), "w"), indent=1)

    # g1: the model, every tensor random (multiples of 2^-10), seeded as g1_config.json says
    torch.manual_seed(cfg["seeds"]["torch.manual_seed_before_build"])
    model = UNetModel(**cfg["unet_kwargs"])
    gen = torch.Generator().manual_seed(cfg["seeds"]["weight_generator_seed"])
    norm_weights = set(cfg["groupnorm_weight_keys"])
    state = {}
    for k, v in model.state_dict().items():
        w = torch.round(0.05 * torch.randn(v.shape, generator=gen) / 2 ** -10) * 2 ** -10
        state[k] = (1 + w if k in norm_weights else w).to(torch.float32)
    model.load_state_dict(state)
    model.eval()
    np.savez_compressed(out("g1_weights.npz"), **{k: v.numpy() for k, v in state.items()})
    s = cfg["image_size"]
    x = torch.randn(3, cfg["unet_kwargs"]["in_channels"], s, s, generator=torch.Generator().manual_seed(cfg["seeds"]["input_generator_seed"]))
    t = torch.tensor(cfg["timesteps"], dtype=torch.int64)
    np.save(out("g1_x.npy"), x.numpy())
    np.save(out("g1_t.npy"), t.numpy())
    with torch.no_grad():
        np.save(out("g1_out.npy"), model(x, t).numpy())
        # GroupNorm32 computes in float32 whatever its input: for the float64 reference, in the input's type
        from improved_diffusion import nn as ref_nn
        f32_forward = ref_nn.GroupNorm32.forward
        ref_nn.GroupNorm32.forward = torch.nn.GroupNorm.forward
        try:
            np.save(out("g1_out_f64.npy"), forward(model.double(), x.double(), t, timestep_embedding, torch)[0].numpy())
        finally:
            ref_nn.GroupNorm32.forward = f32_forward
            model.float()
        # every block's output for batch element 1, and both embeddings
        feats, i = {}, 1
        emb0 = timestep_embedding(t, cfg["unet_kwargs"]["model_channels"])
        feats["timestep_embedding"] = emb0.numpy()
        emb = model.time_embed(emb0)
        feats["time_embed"] = emb.numpy()
        feats["sample_index"] = np.array([i], dtype=np.int64)
        for name, h in forward(model, x, t, timestep_embedding, torch)[1].items():
            feats[name] = h[i:i + 1].numpy()
        np.savez_compressed(out("g1_features.npz"), **feats)
        d = create_gaussian_diffusion(steps=1000, learn_sigma=False, noise_schedule="cosine", rescale_timesteps=True)
        p = d.p_mean_variance(model, x, t, clip_denoised=True)
        np.savez_compressed(out("g1_p_mean_variance_cosine1000.npz"),
                            **{k: p[k].numpy() for k in ("mean", "variance", "log_variance", "pred_xstart")})
        write_bpd(model, cfg, a.out, torch, create_gaussian_diffusion, gd)
        write_attention(model, x, t, a.out, torch)

    names = ["betas", "alphas_cumprod", "alphas_cumprod_prev", "posterior_variance", "posterior_log_variance_clipped",
             "posterior_mean_coef1", "posterior_mean_coef2", "sqrt_alphas_cumprod", "sqrt_one_minus_alphas_cumprod",
             "sqrt_recip_alphas_cumprod", "sqrt_recipm1_alphas_cumprod"]
    for sched in ("linear", "cosine"):
        betas = gd.get_named_beta_schedule(sched, 1000)
        kw = dict(model_mean_type=gd.ModelMeanType.EPSILON, model_var_type=gd.ModelVarType.FIXED_LARGE, loss_type=gd.LossType.MSE)
        full = gd.GaussianDiffusion(betas=betas, **kw)
        np.savez_compressed(out("schedule_%s_1000.npz" % sched), **{k: getattr(full, k) for k in names})
        for spacing, tag in (("ddim50", "ddim50"), ("50", "50"), ("10,15,20", "10-15-20")):
            use = space_timesteps(1000, spacing)
            sp = SpacedDiffusion(use_timesteps=use, betas=betas, **kw)
            arrays = {"timesteps": np.array(sorted(use), dtype=np.int64), "timestep_map": np.array(sp.timestep_map, dtype=np.int64)}
            arrays.update({k: getattr(sp, k) for k in names})
            np.savez_compressed(out("respace_%s_%s.npz" % (sched, tag)), **arrays)

    # the README's CIFAR-10 model: names and shapes only
    flags = "--image_size 32 --num_channels 128 --num_res_blocks 3 --learn_sigma True --dropout 0.3"
    kwargs = dict(in_channels=3, model_channels=128, out_channels=6, num_res_blocks=3, attention_resolutions=(2, 4), dropout=0.3,
                  channel_mult=(1, 2, 2, 2), num_classes=None, use_checkpoint=False, num_heads=4, num_heads_upsample=-1,
                  use_scale_shift_norm=True)
    big = UNetModel(**kwargs)
    with open(out("cifar10_keys.txt"), "w") as f:
        f.write("# improved-diffusion README CIFAR-10: %s (other flags: script_util defaults)\n" % flags)
        f.write("# UNetModel(%s)\n" % ", ".join("%s=%s" % kv for kv in kwargs.items()))
        total = 0
        for k, v in big.state_dict().items():
            f.write("%s\t%s\n" % (k, tuple(v.shape)))
            total += v.numel()
        f.write("# total %d tensors, %d parameters\n" % (len(big.state_dict()), total))

    if a.check:
        sys.exit(compare(a.out, a.check))


def write_bpd(model, cfg, out, torch, create_gaussian_diffusion, gd):
    """calc_bpd_loop of the unmodified reference on g1 for a fixed batch, with its noise recorded.

    The process is cosine 1000 respaced to 10 steps (the vb-terms command's --steps), epsilon
    prediction, FIXED_LARGE, rescaled timesteps, clip_denoised on. The batch is 3 images of
    quantised values in [-1, 1] (255 levels, as real images), so the t=0 decoder term is a real
    discretised likelihood. calc_bpd_loop draws its noise with th.randn_like, once per timestep from
    T-1 down to 0: the calls are recorded (not replaced) so a port can feed the same noise."""
    s = cfg["image_size"]
    g = torch.Generator().manual_seed(cfg["seeds"]["bpd_batch_seed"])
    x0 = torch.round(torch.rand(3, cfg["unet_kwargs"]["in_channels"], s, s, generator=g) * 255) / 127.5 - 1
    d = create_gaussian_diffusion(steps=1000, learn_sigma=False, noise_schedule="cosine", rescale_timesteps=True,
                                  timestep_respacing="10")
    drawn, real_randn_like = [], gd.th.randn_like

    def recording_randn_like(*args, **kwargs):
        z = real_randn_like(*args, **kwargs)
        drawn.append(z.clone())
        return z

    torch.manual_seed(cfg["seeds"]["bpd_noise_seed"])
    gd.th.randn_like = recording_randn_like
    try:
        with torch.no_grad():
            r = d.calc_bpd_loop(model, x0, clip_denoised=True)
    finally:
        gd.th.randn_like = real_randn_like
    assert len(drawn) == d.num_timesteps
    # drawn[k] is the noise of timestep T-1-k: store it indexed by timestep
    noise = torch.stack(drawn[::-1]).numpy()
    np.savez_compressed(os.path.join(out, "g1_bpd_cosine10.npz"), x_start=x0.numpy(), noise=noise,
                        timestep_map=np.array(d.timestep_map, dtype=np.int64),
                        **{k: r[k].numpy() for k in ("total_bpd", "prior_bpd", "vb", "xstart_mse", "mse")})


def write_attention(model, x, t, out, torch):
    """The softmax weights of every AttentionBlock of g1 on g1_x at g1_t, batch element 1 (t=417).

    QKVAttention's only softmax call is recorded during an ordinary forward pass (torch.softmax is
    wrapped, not changed); a forward pre-hook names the block that is running."""
    current, weights = [None], {}
    hooks = []
    from improved_diffusion.unet import AttentionBlock
    for name, m in model.named_modules():
        if isinstance(m, AttentionBlock):
            hooks.append(m.register_forward_pre_hook(lambda mod, inp, name=name: current.__setitem__(0, name)))
    real_softmax = torch.softmax

    def recording_softmax(*args, **kwargs):
        w = real_softmax(*args, **kwargs)
        weights[current[0]] = w.clone()
        return w

    torch.softmax = recording_softmax
    try:
        with torch.no_grad():
            model(x, t)
    finally:
        torch.softmax = real_softmax
        for h in hooks:
            h.remove()
    i, heads = 1, model.num_heads
    arrays = {k: w[i * heads:(i + 1) * heads].numpy() for k, w in weights.items()}
    arrays["sample_index"] = np.array([i], dtype=np.int64)
    np.savez_compressed(os.path.join(out, "g1_attention.npz"), **arrays)


def forward(model, x, t, timestep_embedding, torch):
    """UNetModel.forward written out: the output and every block's output by golden name. The
    reference's timestep_embedding is float32 whatever the model; cast to the model's type here, so
    a float64 model runs in float64 throughout (with GroupNorm32 patched by the caller)."""
    dtype = next(model.parameters()).dtype
    emb = model.time_embed(timestep_embedding(t, model.model_channels).to(dtype))
    blocks, h, hs = {}, x.to(dtype), []
    for n, m in enumerate(model.input_blocks):
        h = m(h, emb)
        hs.append(h)
        blocks["down_%02d" % n] = h
    h = model.middle_block(h, emb)
    blocks["middle"] = h
    for n, m in enumerate(model.output_blocks):
        h = m(torch.cat([h, hs.pop()], dim=1), emb)
        blocks["up_%02d" % n] = h
    return model.out(h), blocks


def compare(new, old):
    bad = 0
    for name in sorted(os.listdir(old)):
        p, q = os.path.join(new, name), os.path.join(old, name)
        if name.endswith(".txt") or name.endswith(".json"):
            same = open(p).read().split() == open(q).read().split() if name.endswith(".txt") else json.load(open(p)) == json.load(open(q))
            print(("same     " if same else "DIFFERS  ") + name)
            bad += not same
            continue
        if not (name.endswith(".npz") or name.endswith(".npy")):
            continue
        A, B = np.load(p), np.load(q)
        pairs = [(k, A[k], B[k]) for k in B.files] if name.endswith(".npz") else [("", A, B)]
        worst = 0.0
        for k, x, y in pairs:
            if x.shape != y.shape or x.dtype != y.dtype:
                worst = float("inf")
                break
            worst = max(worst, float(np.max(np.abs(x.astype(np.float64) - y.astype(np.float64)))) if x.size else 0.0)
        if name == "g1_out_f64.npy":
            tol = 1e-6
        elif name.startswith("g1_out") or name.startswith("g1_features") or name.startswith("g1_p_mean") or name.startswith("g1_attention"):
            tol = 5e-5
        elif name.startswith("g1_bpd"):
            tol = 1e-4  # bits/dim terms of float32 model outputs; inputs and noise come out identical
        elif name.startswith("schedule_") or name.startswith("respace_"):
            tol = 1e-13
        else:
            tol = 0.0
        ok = worst <= tol
        print("%s %s (max difference %g)" % ("same    " if ok else "DIFFERS ", name, worst))
        bad += not ok
    return 1 if bad else 0


if __name__ == "__main__":
    main()
