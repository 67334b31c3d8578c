"""Trains models/tiny-clip-multilingual: a text-only tower in the M-CLIP / immich layout, distilled onto the bundled
models/tiny-clip text embeddings (M-CLIP's teacher learning: the student reads a caption in any of six languages and
learns to give the embedding the teacher gives the same caption in English), so that it queries collections indexed
with models/tiny-clip without re-embedding a single image.

usage: /usr/bin/python3 tools/tiny-clip/train_multilingual.py [--out models/tiny-clip-multilingual]
Needs the project's own CLI built (dotnet build -c Release src/Indexer): the teacher embeddings and the held-out image
embeddings come from `clipsearch embed` with models/tiny-clip, i.e. exactly what the engine computes.
Reproducible: fixed seeds. Takes a few minutes on 2 cores.
"""
import argparse
import json
import math
import os
import re
import subprocess
import sys
import tempfile
import time

import numpy as np
import sentencepiece as spm
import torch
import torch.nn.functional as F
from torch import nn

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import multilingual  # noqa: E402
import shapes  # noqa: E402
import tokenizer_json  # noqa: E402

REPO = os.path.abspath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
CLI = os.path.join(REPO, "src", "Indexer", "bin", "Release", "net10.0", "clipsearch.dll")
SEED = 20261202
CONTEXT, WIDTH, DIM = 77, 64, 96
BOS, PAD, EOS, UNK = 0, 1, 2, 3  # XLM-R's (fairseq) numbering, as M-CLIP's tokenizer has it


def clean(text):
    """immich's clean_text for M-CLIP: whitespace collapsed, nothing else (XLM-R is cased)."""
    return " ".join(text.split())


def embed(args):
    """`clipsearch embed` with the bundled model: one vector per --text/--image, in order."""
    out = []
    for start in range(0, len(args), 200):
        part = args[start:start + 200]
        cmd = ["dotnet", CLI, "embed", "--model", os.path.join(REPO, "models", "tiny-clip"), "--device", "cpu"]
        for kind, value in part:
            cmd += [f"--{kind}", value]
        lines = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout.splitlines()
        out += [json.loads(line)["embedding"] for line in lines]
    return np.array(out, dtype=np.float32)


class Block(nn.Module):
    """A bidirectional pre-LN transformer block; padded positions are masked out of attention."""

    def __init__(self, width, heads):
        super().__init__()
        self.heads = heads
        self.ln_1 = nn.LayerNorm(width)
        self.qkv = nn.Linear(width, 3 * width)
        self.out = nn.Linear(width, width)
        self.ln_2 = nn.LayerNorm(width)
        self.mlp = nn.Sequential(nn.Linear(width, 4 * width), nn.GELU(), nn.Linear(4 * width, width))

    def forward(self, x, additive_mask):
        b, n, w = x.shape
        q, k, v = self.qkv(self.ln_1(x)).reshape(b, n, 3, self.heads, w // self.heads).permute(2, 0, 3, 1, 4)
        att = (q @ k.transpose(-2, -1)) / math.sqrt(w // self.heads) + additive_mask
        y = (att.softmax(dim=-1) @ v).transpose(1, 2).reshape(b, n, w)
        x = x + self.out(y)
        return x + self.mlp(self.ln_2(x))


class Student(nn.Module):
    """M-CLIP's text model in miniature: a transformer encoder, mean pooling over the attention mask, a linear map
    into the teacher's space, L2-normalised in the graph (as immich's exports are)."""

    def __init__(self, vocab):
        super().__init__()
        self.token_embedding = nn.Embedding(vocab, WIDTH)
        self.positional_embedding = nn.Parameter(torch.randn(CONTEXT, WIDTH) * 0.01)
        self.blocks = nn.ModuleList([Block(WIDTH, 4) for _ in range(2)])
        self.ln_final = nn.LayerNorm(WIDTH)
        self.projection = nn.Linear(WIDTH, DIM)

    def forward(self, input_ids, attention_mask):
        mask = attention_mask.to(torch.float32)
        x = self.token_embedding(input_ids.to(torch.int64)) + self.positional_embedding[: input_ids.shape[1]]
        additive = ((1.0 - mask) * -1e4)[:, None, None, :]
        for block in self.blocks:
            x = block(x, additive)
        x = self.ln_final(x)
        pooled = (x * mask[..., None]).sum(dim=1) / mask.sum(dim=1, keepdim=True).clamp(min=1.0)
        return F.normalize(self.projection(pooled), dim=-1)


def tokenize(sp, text):
    """<s> ids </s>, padded with <pad> to CONTEXT; too long keeps <s> + the first CONTEXT-2 ids + </s>."""
    ids = sp.encode(clean(text))[: CONTEXT - 2]
    row = [BOS] + ids + [EOS]
    return row + [PAD] * (CONTEXT - len(row)), len(row)


def batch_tensors(sp, texts):
    rows = [tokenize(sp, t) for t in texts]
    ids = torch.tensor([r for r, _ in rows], dtype=torch.int32)
    mask = torch.tensor([[1] * n + [0] * (CONTEXT - n) for _, n in rows], dtype=torch.int32)
    return ids, mask


def train_tokenizer(captions, out_dir):
    with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False, encoding="utf-8") as f:
        for c in captions:
            f.write(clean(c) + "\n")
        corpus = f.name
    prefix = os.path.join(out_dir, "sentencepiece.bpe")  # immich/XLM-R's name (a Unigram model despite it)
    spm.SentencePieceTrainer.train(input=corpus, model_prefix=prefix, model_type="unigram", vocab_size=600,
                                   character_coverage=1.0, bos_id=BOS, pad_id=PAD, eos_id=EOS, unk_id=UNK,
                                   bos_piece="<s>", pad_piece="<pad>", eos_piece="</s>", unk_piece="<unk>",
                                   num_threads=1, minloglevel=2)  # one thread: the same pieces every run
    os.remove(corpus)
    os.remove(prefix + ".vocab")
    return spm.SentencePieceProcessor(model_file=prefix + ".model")


def label_phrases(languages, seed=11):
    """Each label as typed in each language ("une étoile jaune", ...): the zero-shot prompts of the held-out evaluation."""
    rng = np.random.default_rng(seed)
    return {language: [multilingual.label_phrase(rng, language, label) for label in shapes.LABELS] for language in languages}


def heldout_accuracy(model, sp, heldout, image_embeddings, languages):
    """Zero-shot top-1 on the held-out images with the labels typed in each language ("une étoile jaune", ...)."""
    rows = [ln.split("\t") for ln in open(os.path.join(heldout, "labels.tsv"), encoding="utf-8").read().splitlines()[1:]]
    result = {}
    model.eval()
    with torch.no_grad():
        for language, phrases in label_phrases(languages).items():
            text = model(*batch_tensors(sp, phrases)).numpy()
            predicted = (image_embeddings @ text.T).argmax(axis=1)
            result[language] = float(np.mean([shapes.LABELS[p] == label for p, (_, label) in zip(predicted, rows)]))
    return result


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", default=os.path.join(REPO, "models", "tiny-clip-multilingual"))
    ap.add_argument("--heldout", default=os.path.join(REPO, "tests", "data", "tiny-clip-heldout"))
    ap.add_argument("--steps", type=int, default=3000)
    ap.add_argument("--batch", type=int, default=96)
    a = ap.parse_args()
    torch.manual_seed(SEED)
    torch.set_num_threads(2)
    textual = os.path.join(a.out, "textual")
    os.makedirs(textual, exist_ok=True)
    rows = multilingual.all_captions()
    captions = [c for _, c, _, _ in rows]
    english = sorted({e for _, _, e, _ in rows})
    t0 = time.time()
    sp = train_tokenizer(captions, textual)
    teacher = dict(zip(english, embed([("text", e) for e in english])))
    print(f"{len(rows)} captions in {len(multilingual.LANGUAGES)} languages, {len(english)} English teacher captions, "
          f"vocabulary {sp.get_piece_size()} ({time.time() - t0:.0f}s)", flush=True)

    ids, mask = batch_tensors(sp, captions)
    targets = torch.tensor(np.stack([teacher[e] for _, _, e, _ in rows]))
    model = Student(sp.get_piece_size())
    opt = torch.optim.AdamW(model.parameters(), lr=3e-3, weight_decay=0.01)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=3e-3, total_steps=a.steps, pct_start=0.1)
    rng = np.random.default_rng(SEED)
    for step in range(a.steps):
        model.train()
        pick = torch.from_numpy(rng.integers(len(rows), size=a.batch))
        out = model(ids[pick], mask[pick])
        loss = (1 - (out * targets[pick]).sum(dim=-1)).mean()
        opt.zero_grad()
        loss.backward()
        opt.step()
        sched.step()
        if step % 250 == 0 or step == a.steps - 1:
            print(f"step {step}/{a.steps} loss {loss.item():.4f} ({time.time() - t0:.0f}s)", flush=True)

    images = sorted(f for f in os.listdir(a.heldout) if not f.endswith(".tsv"))
    image_embeddings = embed([("image", os.path.join(a.heldout, f)) for f in images])
    order = {f: i for i, f in enumerate(images)}
    labels_rows = [ln.split("\t") for ln in open(os.path.join(a.heldout, "labels.tsv"), encoding="utf-8").read().splitlines()[1:]]
    image_embeddings = image_embeddings[[order[f] for f, _ in labels_rows]]
    accuracy = heldout_accuracy(model, sp, a.heldout, image_embeddings, multilingual.LANGUAGES)
    print("zero-shot top-1 on the held-out images, labels in each language:", json.dumps(accuracy), flush=True)

    model.eval()
    example_ids, example_mask = batch_tensors(sp, ["une étoile jaune"])
    torch.onnx.export(model, (example_ids, example_mask), os.path.join(textual, "model.onnx"),
                      input_names=["input_ids", "attention_mask"], output_names=["embedding"], opset_version=14,
                      dynamic_axes={"input_ids": {0: "batch_size"}, "attention_mask": {0: "batch_size"}, "embedding": {0: "batch_size"}})
    write_folder(a.out, textual, sp, accuracy, a)
    write_embedding_reference(model, sp)
    write_label_reference(accuracy)
    tokenizer_json.sentencepiece_unigram(os.path.join(textual, "sentencepiece.bpe.model"), os.path.join(textual, "tokenizer.json"),
                                         begin="<s>", end="</s>")
    write_token_reference(sp)


def write_folder(out, textual, sp, accuracy, a):
    files = {
        os.path.join(out, "config.json"): {
            "embed_dim": DIM,
            "text_cfg": {"context_length": CONTEXT, "vocab_size": sp.get_piece_size(), "width": WIDTH, "layers": 2, "heads": 4,
                         "pooler_type": "mean_pooler", "tokenizer": "sentencepiece-unigram"},
        },
        # What the export itself cannot say: which image space these embeddings live in, and the languages trained.
        os.path.join(out, "clipsearch-model.json"): {
            "id": "clipsearch/tiny-clip-multilingual", "space": "clipsearch/tiny-clip-shapes",
            "languages": multilingual.LANGUAGES,
        },
        os.path.join(textual, "tokenizer_config.json"): {
            "tokenizer_class": "XLMRobertaTokenizer", "model_max_length": CONTEXT, "bos_token": "<s>", "eos_token": "</s>",
            "pad_token": "<pad>", "unk_token": "<unk>", "do_lower_case": False,
        },
        os.path.join(textual, "special_tokens_map.json"): {"bos_token": "<s>", "eos_token": "</s>", "pad_token": "<pad>", "unk_token": "<unk>"},
        os.path.join(out, "training-report.json"): {"steps": a.steps, "batch": a.batch, "seed": SEED, "teacher": "models/tiny-clip",
                                                    "pytorch_zero_shot_top1_by_language": {k: round(v, 4) for k, v in accuracy.items()}},
    }
    for path, obj in files.items():
        with open(path, "w", encoding="utf-8") as f:
            json.dump(obj, f, indent=2, ensure_ascii=False)
            f.write("\n")


EMBEDDING_TEXTS = ["une étoile jaune", "ein gelber Stern", "una estrella amarilla", "жёлтая звезда", "黄色的星星", "a yellow star",
                   "Un CERCLE bleu !", "  ein   roter\tKreis ", "", "x " * 100, "триугольник 🌟", "a photo of a green hexagon."]


def write_embedding_reference(model, sp):
    """PyTorch's embeddings (the reference) of texts in every language, for the engine's parity test."""
    model.eval()
    with torch.no_grad():
        ids, mask = batch_tensors(sp, EMBEDDING_TEXTS)
        out = model(ids, mask)
    path = os.path.join(REPO, "tests", "data", "reference", "tiny-clip-multilingual-embeddings.json")
    with open(path, "w", encoding="utf-8") as f:
        json.dump({"source": "PyTorch " + torch.__version__ + ": models/tiny-clip-multilingual before ONNX export; texts cleaned as immich's "
                   "M-CLIP (whitespace collapsed), <s> pieces </s> padded with <pad> to 77, masked mean pooling, projection, L2-normalised",
                   "texts": [{"text": t, "embedding": [round(float(v), 7) for v in e]} for t, e in zip(EMBEDDING_TEXTS, out)]}, f, ensure_ascii=False)
        f.write("\n")
    print(f"wrote {len(EMBEDDING_TEXTS)} reference embeddings to {path}")


def write_label_reference(accuracy):
    """The held-out evaluation's label phrases per language and PyTorch's accuracy with them, for the engine's zero-shot test."""
    path = os.path.join(REPO, "tests", "data", "reference", "tiny-clip-multilingual-labels.json")
    with open(path, "w", encoding="utf-8") as f:
        json.dump({"source": "tools/tiny-clip/train_multilingual.py: label_phrases(); labels in the order of shapes.LABELS; "
                   "accuracy = PyTorch's zero-shot top-1 on tests/data/tiny-clip-heldout against models/tiny-clip's image embeddings",
                   "labels": shapes.LABELS, "phrases": label_phrases(multilingual.LANGUAGES),
                   "pytorch_top1": {k: round(v, 4) for k, v in accuracy.items()}}, f, ensure_ascii=False, indent=1)
        f.write("\n")
    print(f"wrote the label phrases to {path}")


def write_token_reference(sp):
    """Token ids of python sentencepiece (the reference) for ≥ 300 strings, for the C# tokenizer's parity test."""
    rng = np.random.default_rng(5)
    strings = [c for _, c, _, _ in multilingual.all_captions(seed=99)][::5][:260]
    strings += ["", " ", "  une   étoile\tjaune  ", "UNE ÉTOILE JAUNE", "Ein gelber Stern!", "¿una estrella amarilla?", "ЖЁЛТАЯ ЗВЕЗДА",
                "黄色的星星和蓝色的圆", "a yellow star ★ and 🌟", "emoji 👍🏽 family 👨‍👩‍👧", "tab\tand\nnewline", "café naïve façade",
                "Ünïcödé ÅÄÖ", "ﬁne ligature", "Ｆｕｌｌｗｉｄｔｈ", "İstanbul ı", "ΣΊΣΥΦΟΣ", "a" * 200, "x " * 120, "1234567890",
                "C'est l'étoile", "l’apostrophe courbe", "e\u0301 decomposed", "zero\u200bwidth", "\u00a0non-breaking\u00a0space"]
    strings += [" ".join(rng.choice(list("abcdefghijklmnopqrstuvwxyzéèçß中文星形"), size=rng.integers(1, 30))) for _ in range(40)]
    cases = []
    for s in strings:
        row, length = tokenize(sp, s)
        cases.append({"text": s, "ids": row[:length], "input_ids": row})
    path = os.path.join(REPO, "tests", "data", "reference", "tiny-clip-multilingual-tokens.json")
    with open(path, "w", encoding="utf-8") as f:
        json.dump({"source": "python sentencepiece " + spm.__version__ + " on models/tiny-clip-multilingual/textual/sentencepiece.bpe.model, "
                   "after immich's M-CLIP text cleaning (whitespace collapsed); ids = <s>(0) pieces </s>(2), input_ids padded with <pad>(1) to 77",
                   "cases": cases}, f, ensure_ascii=False, indent=1)
        f.write("\n")
    print(f"wrote {len(cases)} token reference cases to {path}")


if __name__ == "__main__":
    main()
