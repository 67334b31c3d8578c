"""Trains the project's tiny CLIP on generated shape images and exports it in the Hugging Face /
Transformers.js ONNX layout (onnx/vision_model.onnx, onnx/text_model.onnx, tokenizer and configs).

usage: /usr/bin/python3 tools/tiny-clip/train.py [--out models/tiny-clip] [--heldout tests/data/tiny-clip-heldout]
Reproducible: fixed seeds, single-process data generation order. Takes about 15 minutes on 2 cores.
"""
import argparse
import json
import math
import os
import shutil
import sys
import time
from multiprocessing import Pool

import numpy as np
import torch
import torch.nn.functional as F
from PIL import Image

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import shapes  # noqa: E402
from clip_bpe import ClipBpe  # noqa: E402
from model import TinyClip  # noqa: E402

MEAN = (0.48145466, 0.4578275, 0.40821073)
STD = (0.26862954, 0.26130258, 0.27577711)
DIM = 96
TRAIN_SEED, HELDOUT_SEED = 20261127, 777
REPO = os.path.abspath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
TOKENIZER_DIR = os.path.join(REPO, "..", "shared", "reference", "clip-tokenizer")


def _make_chunk(args):
    seed, count, transform = args
    rng = np.random.default_rng(seed)
    pixels = np.empty((count, 224, 224, 3), dtype=np.uint8)
    labels = np.empty(count, dtype=np.int64)
    for i in range(count):
        label = int(rng.integers(len(shapes.LABELS)))
        color, shape = shapes.LABELS[label].split(" ")
        img = shapes.render(rng, color, shape, *shapes.random_size(rng))
        data, _ = shapes.encode(rng, img)
        import io
        pixels[i] = getattr(shapes, transform)(Image.open(io.BytesIO(data)))
        labels[i] = label
    return pixels, labels


def make_dataset(n, seed, chunk=500, transform="clip_transform_uint8"):
    """n training images (uint8, 224x224, already resized as the model's transform does) and their label indexes."""
    jobs = [(seed * 1000 + k, min(chunk, n - k * chunk), transform) for k in range(math.ceil(n / chunk))]
    with Pool(2) as pool:
        parts = pool.map(_make_chunk, jobs)
    return np.concatenate([p for p, _ in parts]), np.concatenate([l for _, l in parts])


def to_tensor(uint8_batch):
    x = torch.from_numpy(uint8_batch).permute(0, 3, 1, 2).float() / 255.0
    return (x - torch.tensor(MEAN).view(1, 3, 1, 1)) / torch.tensor(STD).view(1, 3, 1, 1)


def zero_shot_accuracy(model, bpe, folder):
    rows = [ln.split("\t") for ln in open(os.path.join(folder, "labels.tsv"), encoding="utf-8").read().splitlines()[1:]]
    prompts = torch.tensor([bpe.context77(f"a photo of a {label}.") for label in shapes.LABELS])
    model.eval()
    with torch.no_grad():
        txt = F.normalize(model.text(prompts), dim=-1)
        correct = 0
        for start in range(0, len(rows), 64):
            part = rows[start:start + 64]
            batch = np.stack([shapes.clip_transform_uint8(Image.open(os.path.join(folder, f))) for f, _ in part])
            img = F.normalize(model.vision(to_tensor(batch)), dim=-1)
            pred = (img @ txt.T).argmax(dim=-1)
            correct += sum(shapes.LABELS[int(p)] == lab for p, (_, lab) in zip(pred, part))
    return correct / len(rows)


def train(model, bpe, pixels, labels, steps, batch, log_every=100):
    rng = np.random.default_rng(TRAIN_SEED)
    caption_ids = {}
    opt = torch.optim.AdamW(model.parameters(), lr=2e-3, weight_decay=0.05)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=2e-3, total_steps=steps, pct_start=0.1)
    t0 = time.time()
    for step in range(steps):
        model.train()
        idx = rng.integers(len(pixels), size=batch)
        y = torch.from_numpy(labels[idx])
        caps = []
        for lab in labels[idx]:
            color, shape = shapes.LABELS[lab].split(" ")
            text = shapes.caption(rng, color, shape)
            if text not in caption_ids:
                caption_ids[text] = bpe.context77(text)
            caps.append(caption_ids[text])
        # The text tower is causal and pools at EOT, so padding after EOT never changes its output:
        # training on the first 24 positions is exact and several times cheaper.
        img, txt, scale = model(to_tensor(pixels[idx]), torch.tensor(caps)[:, :24])
        logits = scale * img @ txt.T
        # Several images in a batch share a class: every caption of the same class is a positive.
        same = (y[:, None] == y[None, :]).float()
        target = same / same.sum(dim=1, keepdim=True)
        loss = (F.cross_entropy(logits, target) + F.cross_entropy(logits.T, target)) / 2
        opt.zero_grad()
        loss.backward()
        opt.step()
        sched.step()
        if step % log_every == 0 or step == steps - 1:
            print(f"step {step}/{steps} loss {loss.item():.4f} scale {scale.item():.1f} "
                  f"({time.time() - t0:.0f}s)", flush=True)


def export(model, out):
    model.eval()
    onnx_dir = os.path.join(out, "onnx")
    os.makedirs(onnx_dir, exist_ok=True)
    torch.onnx.export(model.vision, torch.zeros(1, 3, 224, 224), os.path.join(onnx_dir, "vision_model.onnx"),
                      input_names=["pixel_values"], output_names=["image_embeds"], opset_version=14,
                      dynamic_axes={"pixel_values": {0: "batch_size"}, "image_embeds": {0: "batch_size"}})
    ids = torch.zeros(1, 77, dtype=torch.int64)
    ids[0, 0], ids[0, 1] = 49406, 49407
    torch.onnx.export(model.text, ids, os.path.join(onnx_dir, "text_model.onnx"),
                      input_names=["input_ids"], output_names=["text_embeds"], opset_version=14,
                      dynamic_axes={"input_ids": {0: "batch_size", 1: "sequence_length"},
                                    "text_embeds": {0: "batch_size"}})
    for name in ("vocab.json", "merges.txt"):
        shutil.copyfile(os.path.join(TOKENIZER_DIR, name), os.path.join(out, name))
    shutil.copyfile(os.path.join(TOKENIZER_DIR, "..", "CLIP-LICENSE"), os.path.join(out, "CLIP-LICENSE"))
    config = {
        "_name_or_path": "clipsearch/tiny-clip-shapes",
        "architectures": ["CLIPModel"],
        "model_type": "clip",
        "projection_dim": DIM,
        # Trained temperature, in log space like CLIPModel.logit_scale (exp gives the logit multiplier).
        "logit_scale": round(float(model.logit_scale.detach().clamp(max=math.log(100))), 6),
        "logit_scale_init_value": 2.6592,
        "text_config": {"vocab_size": 49408, "max_position_embeddings": 77, "hidden_size": 64,
                        "num_hidden_layers": 2, "num_attention_heads": 4, "bos_token_id": 49406,
                        "eos_token_id": 49407, "pad_token_id": 0},
        "vision_config": {"image_size": 224, "num_channels": 3, "architecture": "cnn",
                          "widths": [16, 32, 64, 128]},
    }
    preprocessor = {
        "image_processor_type": "CLIPImageProcessor", "do_resize": True, "size": {"shortest_edge": 224},
        "resample": 3, "do_center_crop": True, "crop_size": {"height": 224, "width": 224},
        "do_rescale": True, "rescale_factor": 1 / 255, "do_normalize": True,
        "image_mean": list(MEAN), "image_std": list(STD), "do_convert_rgb": True,
    }
    tokenizer_config = {"tokenizer_class": "CLIPTokenizer", "model_max_length": 77, "do_lower_case": True,
                        "bos_token": "<|startoftext|>", "eos_token": "<|endoftext|>",
                        "unk_token": "<|endoftext|>", "pad_token": "<|endoftext|>"}
    for name, obj in (("config.json", config), ("preprocessor_config.json", preprocessor),
                      ("tokenizer_config.json", tokenizer_config)):
        with open(os.path.join(out, name), "w", encoding="utf-8") as f:
            json.dump(obj, f, indent=2)
            f.write("\n")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", default=os.path.join(REPO, "models", "tiny-clip"))
    ap.add_argument("--heldout", default=os.path.join(REPO, "tests", "data", "tiny-clip-heldout"))
    ap.add_argument("--train-images", type=int, default=16000)
    ap.add_argument("--steps", type=int, default=2400)
    ap.add_argument("--batch", type=int, default=96)
    a = ap.parse_args()
    torch.manual_seed(TRAIN_SEED)
    torch.set_num_threads(2)
    bpe = ClipBpe(os.path.join(TOKENIZER_DIR, "vocab.json"), os.path.join(TOKENIZER_DIR, "merges.txt"))
    t0 = time.time()
    pixels, labels = make_dataset(a.train_images, TRAIN_SEED)
    print(f"generated {len(pixels)} training images in {time.time() - t0:.0f}s", flush=True)
    model = TinyClip(DIM)
    train(model, bpe, pixels, labels, a.steps, a.batch)
    export(model, a.out)
    acc = zero_shot_accuracy(model, bpe, a.heldout)
    print(f"pytorch zero-shot top-1 on {a.heldout} with 'a photo of a {{}}.': {acc * 100:.2f}%")
    with open(os.path.join(a.out, "training-report.json"), "w", encoding="utf-8") as f:
        json.dump({"train_images": a.train_images, "steps": a.steps, "batch": a.batch, "seed": TRAIN_SEED,
                   "heldout_seed": HELDOUT_SEED, "pytorch_zero_shot_top1": round(acc, 4)}, f, indent=2)
        f.write("\n")


if __name__ == "__main__":
    main()
