"""Trains models/tiny-siglip: a SigLIP-style model of the coloured-shapes world (sigmoid loss with a learned scale and
bias, a SentencePiece tokenizer trained on its captions, text read at the last of 64 positions, images squashed to
224x224 with mean/std 0.5), exported in the layout of the Transformers.js SigLIP exports (Xenova/siglip-*): onnx/
vision_model.onnx and onnx/text_model.onnx with last_hidden_state and pooler_output, spiece.model, tokenizer_config.json,
preprocessor_config.json, config.json. The split towers carry no scale or bias (as in those exports): they are recorded in
clipsearch-model.json, where `clipsearch models pull` records them for a published SigLIP.

usage: /usr/bin/python3 tools/tiny-clip/train_siglip.py [--out models/tiny-siglip]
Reproducible: fixed seeds. Takes about 15 minutes on 2 cores.
"""
import argparse
import json
import math
import os
import re
import string
import sys
import tempfile
import time

import numpy as np
import sentencepiece as spm
import torch
import torch.nn.functional as F
from PIL import Image
from torch import nn

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import shapes  # noqa: E402
import tokenizer_json  # noqa: E402
from model import Block, VisionTower  # noqa: E402
from train import make_dataset  # noqa: E402

REPO = os.path.abspath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
SEED = 20261203
CONTEXT, WIDTH, DIM = 64, 64, 96
PAD, EOS, UNK = 0, 1, 2  # Google's SigLIP numbering; SigLIP pads with </s> (pad_token "</s>")


def canonicalize(text):
    """SigLIP's text cleaning (transformers' SiglipTokenizer / open_clip's canonicalize_text) after lower-casing."""
    text = text.lower().translate(str.maketrans("", "", string.punctuation))
    return re.sub(r"\s+", " ", text).strip()


def tokenize(sp, text):
    """Pieces then </s>, padded with </s> to 64 (the embedding is read at the last position); too long keeps 63 + </s>."""
    ids = sp.encode(canonicalize(text))[: CONTEXT - 1] + [EOS]
    return ids + [EOS] * (CONTEXT - len(ids)), len(ids)


class TextTower(nn.Module):
    """SigLIP's text encoder in miniature: no causal mask, no attention mask, the feature at the last position, a head."""

    def __init__(self, vocab):
        super().__init__()
        self.token_embedding = nn.Embedding(vocab, WIDTH)
        self.positional_embedding = nn.Parameter(torch.randn(CONTEXT, WIDTH) * 0.01)
        self.blocks = nn.ModuleList([Block(WIDTH, 4) for _ in range(2)])
        self.ln_final = nn.LayerNorm(WIDTH)
        self.head = nn.Linear(WIDTH, DIM)
        self.register_buffer("no_mask", torch.zeros(CONTEXT, CONTEXT), persistent=False)

    def forward(self, input_ids):
        n = input_ids.shape[1]
        x = self.token_embedding(input_ids) + self.positional_embedding[:n]
        for block in self.blocks:
            x = block(x, self.no_mask[:n, :n])
        x = self.ln_final(x)
        return x, self.head(x[:, -1])


class VisionModel(nn.Module):
    """The CNN tower of models/tiny-clip, answering as SigLIP's vision model does: per-position features and the pooled one."""

    def __init__(self):
        super().__init__()
        self.tower = VisionTower(DIM)

    def forward(self, pixel_values):
        features = self.tower.features(pixel_values)
        return features.flatten(2).transpose(1, 2), self.tower.projection(features.mean(dim=(2, 3)))


class TinySiglip(nn.Module):
    def __init__(self, vocab):
        super().__init__()
        self.vision = VisionModel()
        self.text = TextTower(vocab)
        self.logit_scale = nn.Parameter(torch.tensor(math.log(10.0)))
        self.logit_bias = nn.Parameter(torch.tensor(-10.0))


def to_tensor(uint8_batch):
    x = torch.from_numpy(uint8_batch).permute(0, 3, 1, 2).float() / 255.0
    return (x - 0.5) / 0.5


def all_captions():
    texts = {t.format(label) for t in shapes.TEMPLATES for label in shapes.LABELS}
    texts |= {t.format(color=c, shape=s) for t in shapes.SPLIT_TEMPLATES for c in shapes.COLORS for s in shapes.SHAPES}
    return sorted(texts)


def train_tokenizer(out):
    with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False, encoding="utf-8") as f:
        for c in all_captions():
            f.write(canonicalize(c) + "\n")
        corpus = f.name
    prefix = os.path.join(out, "spiece")
    spm.SentencePieceTrainer.train(input=corpus, model_prefix=prefix, model_type="unigram", vocab_size=120, hard_vocab_limit=False,
                                   character_coverage=1.0, pad_id=PAD, eos_id=EOS, unk_id=UNK, bos_id=-1,
                                   pad_piece="<pad>", eos_piece="</s>", unk_piece="<unk>", num_threads=1, minloglevel=2)
    os.remove(corpus)
    os.remove(prefix + ".vocab")
    return spm.SentencePieceProcessor(model_file=prefix + ".model")


def zero_shot_accuracy(model, sp, folder):
    rows = [ln.split("\t") for ln in open(os.path.join(folder, "labels.tsv"), encoding="utf-8").read().splitlines()[1:]]
    prompts = torch.tensor([tokenize(sp, f"a photo of a {label}.")[0] for label in shapes.LABELS])
    model.eval()
    with torch.no_grad():
        txt = F.normalize(model.text(prompts)[1], dim=-1)
        correct = 0
        for start in range(0, len(rows), 64):
            part = rows[start:start + 64]
            batch = np.stack([shapes.squash_transform_uint8(Image.open(os.path.join(folder, f))) for f, _ in part])
            img = F.normalize(model.vision(to_tensor(batch))[1], dim=-1)
            pred = (img @ txt.T).argmax(dim=-1)
            correct += sum(shapes.LABELS[int(p)] == lab for p, (_, lab) in zip(pred, part))
    return correct / len(rows)


def train(model, sp, pixels, labels, steps, batch):
    rng = np.random.default_rng(SEED)
    cache = {}
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
            if text not in cache:
                cache[text] = tokenize(sp, text)[0]
            caps.append(cache[text])
        img = F.normalize(model.vision(to_tensor(pixels[idx]))[1], dim=-1)
        txt = F.normalize(model.text(torch.tensor(caps))[1], dim=-1)
        logits = model.logit_scale.exp() * img @ txt.T + model.logit_bias
        # The sigmoid loss: every (image, caption) pair is its own binary decision; pairs of one class are positives.
        sign = 2 * (y[:, None] == y[None, :]).float() - 1
        loss = -F.logsigmoid(sign * logits).sum() / batch
        opt.zero_grad()
        loss.backward()
        opt.step()
        sched.step()
        if step % 100 == 0 or step == steps - 1:
            print(f"step {step}/{steps} loss {loss.item():.4f} scale {model.logit_scale.exp().item():.1f} "
                  f"bias {model.logit_bias.item():.2f} ({time.time() - t0:.0f}s)", flush=True)


def export(model, sp, out, accuracy, a):
    model.eval()
    onnx_dir = os.path.join(out, "onnx")
    os.makedirs(onnx_dir, exist_ok=True)
    torch.onnx.export(model.vision, torch.zeros(1, 3, 224, 224), os.path.join(onnx_dir, "vision_model.onnx"),
                      input_names=["pixel_values"], output_names=["last_hidden_state", "pooler_output"], opset_version=14,
                      dynamic_axes={"pixel_values": {0: "batch_size"}, "last_hidden_state": {0: "batch_size"}, "pooler_output": {0: "batch_size"}})
    ids = torch.tensor([tokenize(sp, "a photo of a red star.")[0]], dtype=torch.int64)
    torch.onnx.export(model.text, ids, os.path.join(onnx_dir, "text_model.onnx"),
                      input_names=["input_ids"], output_names=["last_hidden_state", "pooler_output"], opset_version=14,
                      dynamic_axes={"input_ids": {0: "batch_size", 1: "sequence_length"},
                                    "last_hidden_state": {0: "batch_size", 1: "sequence_length"}, "pooler_output": {0: "batch_size"}})
    files = {
        "config.json": {"_name_or_path": "clipsearch/tiny-siglip-shapes", "architectures": ["SiglipModel"], "model_type": "siglip",
                        "text_config": {"model_type": "siglip_text_model", "vocab_size": sp.get_piece_size(), "hidden_size": WIDTH,
                                        "max_position_embeddings": CONTEXT, "num_hidden_layers": 2, "num_attention_heads": 4,
                                        "projection_size": DIM},
                        "vision_config": {"model_type": "siglip_vision_model", "image_size": 224, "architecture": "cnn",
                                          "widths": [16, 32, 64, 128]}},
        "preprocessor_config.json": {"image_processor_type": "SiglipImageProcessor", "processor_class": "SiglipProcessor",
                                     "do_resize": True, "size": {"height": 224, "width": 224}, "resample": 3, "do_rescale": True,
                                     "rescale_factor": 1 / 255, "do_normalize": True, "image_mean": [0.5, 0.5, 0.5], "image_std": [0.5, 0.5, 0.5]},
        "tokenizer_config.json": {"tokenizer_class": "SiglipTokenizer", "processor_class": "SiglipProcessor", "model_max_length": CONTEXT,
                                  "do_lower_case": True, "eos_token": "</s>", "pad_token": "</s>", "unk_token": "<unk>",
                                  "model_input_names": ["input_ids"]},
        "special_tokens_map.json": {"eos_token": "</s>", "pad_token": "</s>", "unk_token": "<unk>"},
        # The split towers do not carry the sigmoid's scale and bias (neither do the published ones): recorded here.
        "clipsearch-model.json": {"scoring": {"kind": "sigmoid", "logit_scale": round(float(model.logit_scale), 6),
                                              "logit_bias": round(float(model.logit_bias), 6)}},
        "training-report.json": {"train_images": a.train_images, "steps": a.steps, "batch": a.batch, "seed": SEED,
                                 "pytorch_zero_shot_top1": round(accuracy, 4), "template": "a photo of a {}."},
    }
    for name, obj in files.items():
        with open(os.path.join(out, name), "w", encoding="utf-8") as f:
            json.dump(obj, f, indent=2)
            f.write("\n")
    # Xenova's SigLIP exports carry tokenizer.json beside spiece.model.
    tokenizer_json.sentencepiece_unigram(os.path.join(out, "spiece.model"), os.path.join(out, "tokenizer.json"), begin=None, end="</s>")


def write_token_reference(sp):
    """Token ids of python sentencepiece (the reference) for ≥ 300 strings, for the C# tokenizer's parity test."""
    rng = np.random.default_rng(6)
    strings = all_captions()[::3][:240]
    strings += ["", " ", "A PHOTO OF A RED STAR!", "a photo of a red-star...", "  spaced\t\tout  ", "red, green; blue: yellow?",
                "(a) [b] {c} <d>", "quote's \"double\"", "café naïve", "İstanbul", "ΣΊΣΥΦΟΣ", "emoji ★ 🌟", "中文", "ﬁne",
                "Ｆｕｌｌｗｉｄｔｈ", "a" * 150, "red " * 80, "1234567890", "under_score", "l’apostrophe", "e\u0301", "\u00a0nbsp"]
    strings += [" ".join(rng.choice(list("abcdefghijklmnopqrstuvwxyz.,!?'-"), size=rng.integers(1, 40))) for _ in range(60)]
    cases = []
    for s in strings:
        row, length = tokenize(sp, s)
        cases.append({"text": s, "ids": row[:length], "input_ids": row})
    path = os.path.join(REPO, "tests", "data", "reference", "tiny-siglip-tokens.json")
    with open(path, "w", encoding="utf-8") as f:
        json.dump({"source": "python sentencepiece " + spm.__version__ + " on models/tiny-siglip/spiece.model, after SigLIP's "
                   "text cleaning (lower-case, string.punctuation removed, whitespace collapsed); ids = pieces </s>(1), input_ids "
                   "padded with </s> to 64", "cases": cases}, f, ensure_ascii=False, indent=1)
        f.write("\n")
    print(f"wrote {len(cases)} token reference cases to {path}")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", default=os.path.join(REPO, "models", "tiny-siglip"))
    ap.add_argument("--heldout", default=os.path.join(REPO, "tests", "data", "tiny-clip-heldout"))
    ap.add_argument("--train-images", type=int, default=16000)
    ap.add_argument("--steps", type=int, default=2400)
    ap.add_argument("--batch", type=int, default=96)
    a = ap.parse_args()
    torch.manual_seed(SEED)
    torch.set_num_threads(2)
    os.makedirs(a.out, exist_ok=True)
    sp = train_tokenizer(a.out)
    t0 = time.time()
    pixels, labels = make_dataset(a.train_images, SEED, transform="squash_transform_uint8")
    print(f"generated {len(pixels)} training images in {time.time() - t0:.0f}s; vocabulary {sp.get_piece_size()}", flush=True)
    model = TinySiglip(sp.get_piece_size())
    train(model, sp, pixels, labels, a.steps, a.batch)
    accuracy = zero_shot_accuracy(model, sp, a.heldout)
    print(f"pytorch zero-shot top-1 on {a.heldout} with 'a photo of a {{}}.': {accuracy * 100:.2f}%")
    export(model, sp, a.out, accuracy, a)
    write_token_reference(sp)
    write_embedding_reference(model, sp, a.heldout)


EMBEDDING_TEXTS = ["a photo of a red star.", "A PHOTO OF A BLUE CIRCLE!", "green triangle", "a yellow square, drawn.", "", "purple-ish hexagon?",
                   "this is a photo of a orange cross.", "a" * 120, "white star on black", "red red red red star"]


def write_embedding_reference(model, sp, heldout):
    """PyTorch's embeddings (the reference) of texts and held-out images, for the engine's parity test."""
    images = sorted(f for f in os.listdir(heldout) if not f.endswith(".tsv"))[::20]
    model.eval()
    with torch.no_grad():
        ids = torch.tensor([tokenize(sp, t)[0] for t in EMBEDDING_TEXTS], dtype=torch.int64)
        txt = F.normalize(model.text(ids)[1], dim=-1)
        batch = np.stack([shapes.squash_transform_uint8(Image.open(os.path.join(heldout, f))) for f in images])
        img = F.normalize(model.vision(to_tensor(batch))[1], dim=-1)
    path = os.path.join(REPO, "tests", "data", "reference", "tiny-siglip-embeddings.json")
    with open(path, "w", encoding="utf-8") as f:
        json.dump({"source": "PyTorch " + torch.__version__ + ": models/tiny-siglip before ONNX export; texts cleaned and tokenized as SigLIP's reference "
                   "(pieces, </s>, padded with </s> to 64); images from tests/data/tiny-clip-heldout through PIL: RGB, squash to 224x224 bicubic, "
                   "(x/255-0.5)/0.5; embeddings L2-normalised",
                   "texts": [{"text": t, "embedding": [round(float(v), 7) for v in e]} for t, e in zip(EMBEDDING_TEXTS, txt)],
                   "images": [{"file": n, "embedding": [round(float(v), 7) for v in e]} for n, e in zip(images, img)]}, f, ensure_ascii=False)
        f.write("\n")
    print(f"wrote {len(EMBEDDING_TEXTS)} text and {len(images)} image reference embeddings to {path}")


if __name__ == "__main__":
    main()
