#!/usr/bin/env python3
"""Writes the PyTorch .pt fixtures in this folder (the Java tests read them; CI has no torch).

  /usr/bin/python3 src-test/model/torch/make_pt_fixtures.py --ref /path/to/improved-diffusion [--out DIR]

Needs Debian's python3-torch (1.13 wrote the files in the repository) and python3-numpy, and a
checkout of openai/improved-diffusion for the g1 model. Every file is written by torch.save itself
except where a comment says how it was bent; the expected values are written by numpy from the
tensors torch holds, so the Java reader is compared with PyTorch, not with itself.
  g1_weights.pt        the golden g1 weights (../golden/g1_weights.npz) loaded into the reference
                       UNetModel and saved as the reference's TrainLoop.save does: the state_dict
                       with the nn.Parameters themselves (torch._utils._rebuild_parameter).
  dtypes.pt            float32, float16, bfloat16, float64 and int64 tensors, transposed, sliced
                       (storage offset), expanded (stride 0), 0-d and empty tensors, views sharing
                       one storage; dtypes_expected.npz holds each as numpy sees it (float16 and
                       bfloat16 widened to float32 by torch).
  cuda_saved.pt        a small state_dict whose storages say location 'cuda:0', as on a GPU server:
                       torch on a CPU-only machine cannot hold CUDA tensors, so location_tag is
                       patched while saving; torch.load without map_location refuses it here.
  legacy.pt            the same dict in the pre-1.6 format (_use_new_zipfile_serialization=False).
  evil_os_system.pt    a state_dict whose pickle calls os.system("touch pwned.marker") when torch
                       loads it (checked below with torch 1.13's torch.load in a temporary folder).
  whole_module.pt      torch.save(nn.Linear(2, 2)): a pickled module, not a state_dict.
"""
import argparse
import collections
import json
import os
import subprocess
import sys
import tempfile

import numpy as np


class RunsACommand:
    """Pickles as a call of os.system: what a malicious checkpoint does."""

    def __reduce__(self):
        return (os.system, ("touch pwned.marker",))


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser()
    ap.add_argument("--ref", default=os.environ.get("IMPROVED_DIFFUSION"))
    ap.add_argument("--golden", default=os.path.join(here, "..", "golden"))
    ap.add_argument("--out", default=here)
    a = ap.parse_args()
    if not a.ref or not os.path.isdir(os.path.join(a.ref, "improved_diffusion")):
        sys.exit("make_pt_fixtures.py: give --ref DIR, a checkout of openai/improved-diffusion")
    sys.path.insert(0, a.ref)
    import torch
    import torch.serialization
    from improved_diffusion.unet import UNetModel

    os.makedirs(a.out, exist_ok=True)
    out = lambda name: os.path.join(a.out, name)

    # g1 as the reference's training loop saves it
    cfg = json.load(open(os.path.join(a.golden, "g1_config.json")))
    model = UNetModel(**cfg["unet_kwargs"])
    w = np.load(os.path.join(a.golden, "g1_weights.npz"))
    model.load_state_dict({k: torch.from_numpy(w[k]) for k in w.files})
    sd = model.state_dict()
    for name, p in model.named_parameters():
        sd[name] = p  # TrainLoop._master_params_to_state_dict puts the Parameters in
    torch.save(sd, out("g1_weights.pt"))
    back = torch.load(out("g1_weights.pt"))
    assert list(back.keys()) == list(w.files)
    assert all(np.array_equal(back[k].detach().numpy(), w[k]) for k in w.files)
    assert isinstance(back["out.2.weight"], torch.nn.Parameter)

    # dtypes and layouts
    g = torch.Generator().manual_seed(18)
    base = torch.round(torch.randn(4, 6, generator=g) * 1000) / 1000
    half = (torch.randn(5, 4, generator=g) * 3).half()
    d = collections.OrderedDict()
    d["f32"] = base.clone()
    d["f16"] = base.half()
    d["bf16"] = base.bfloat16()
    d["f64"] = base.double() / 3
    d["i64"] = torch.arange(-3, 4)
    d["transposed"] = base.t()  # shares base's storage, stride (1, 6)
    d["sliced"] = base[1:, ::2]  # storage offset 6, stride (6, 2)
    d["row0"] = base[0]
    d["row3"] = base[3]  # offset 18 of the same storage
    d["expanded"] = torch.arange(3.0).view(3, 1).expand(3, 4)  # stride (1, 0)
    d["f16_strided"] = half[::2, 1:]  # float16 view with offset and steps
    d["scalar"] = torch.tensor(-2.5)
    d["empty"] = torch.zeros(0, 3)
    assert not d["transposed"].is_contiguous() and d["sliced"].storage_offset() == 6
    torch.save(d, out("dtypes.pt"))
    expected = {k: (v.float() if v.dtype in (torch.float16, torch.bfloat16) else v).contiguous().numpy() for k, v in d.items()}
    np.savez(out("dtypes_expected.npz"), **expected)

    # storages that say they live on the GPU
    small = collections.OrderedDict()
    small["weight"] = torch.nn.Parameter(base[:2, :3].clone())
    small["bias"] = torch.nn.Parameter(torch.tensor([0.25, -0.5]))
    small["half"] = base[2].half()
    original = torch.serialization.location_tag
    torch.serialization.location_tag = lambda storage: "cuda:0"
    try:
        torch.save(small, out("cuda_saved.pt"))
    finally:
        torch.serialization.location_tag = original
    if not torch.cuda.is_available():
        try:
            torch.load(out("cuda_saved.pt"))
            sys.exit("cuda_saved.pt loaded without map_location: its storages do not say cuda")
        except RuntimeError as e:
            assert "CUDA" in str(e), e
    back = torch.load(out("cuda_saved.pt"), map_location="cpu")
    np.savez(out("cuda_saved_expected.npz"), **{k: v.detach().float().numpy() for k, v in back.items()})

    torch.save(small, out("legacy.pt"), _use_new_zipfile_serialization=False)

    evil = collections.OrderedDict()
    evil["weight"] = torch.zeros(2)
    evil["payload"] = RunsACommand()
    torch.save(evil, out("evil_os_system.pt"))
    with tempfile.TemporaryDirectory() as tmp:  # prove the payload is real: torch.load runs it
        subprocess.run([sys.executable, "-c", "import torch; torch.load(%r)" % os.path.abspath(out("evil_os_system.pt"))],
                       cwd=tmp, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        assert os.path.exists(os.path.join(tmp, "pwned.marker")), "torch.load did not run the payload"

    torch.save(torch.nn.Linear(2, 2), out("whole_module.pt"))
    print("wrote", sorted(f for f in os.listdir(a.out) if f.endswith((".pt", ".npz"))))


if __name__ == "__main__":
    main()
