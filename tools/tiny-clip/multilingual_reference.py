"""Writes the references of models/tiny-clip-multilingual from its committed export, without training it again:
PyTorch's embeddings of texts in every language (the Student module of train_multilingual.py with the weights read back
from textual/model.onnx), the held-out label phrases per language, and PyTorch's zero-shot top-1 with them against
models/tiny-clip's image embeddings (from `clipsearch embed`, as in training).

usage: /usr/bin/python3 tools/tiny-clip/multilingual_reference.py
Needs the CLI built in Release (dotnet build -c Release src/Indexer), as train_multilingual.py does.
"""
import os
import sys

import numpy as np
import onnx
import sentencepiece as spm
import torch
from onnx import numpy_helper

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import multilingual  # noqa: E402
import train_multilingual as tm  # noqa: E402

MODEL = os.path.join(tm.REPO, "models", "tiny-clip-multilingual", "textual")


def load_student():
    """The Student with the export's weights: named initializers as they are, the MatMul weights (exported transposed,
    unnamed) assigned in the order the graph uses them, which is the order of the module's forward."""
    graph = onnx.load(os.path.join(MODEL, "model.onnx")).graph
    inits = {i.name: numpy_helper.to_array(i) for i in graph.initializer}
    sp = spm.SentencePieceProcessor(model_file=os.path.join(MODEL, "sentencepiece.bpe.model"))
    model = tm.Student(sp.get_piece_size())
    state = model.state_dict()
    for name in state:
        if name in inits:
            state[name] = torch.from_numpy(inits[name].copy())
    unnamed = [n.input[1] for n in graph.node if n.op_type == "MatMul" and n.input[1].startswith("onnx::MatMul")]
    linear = [f"blocks.{b}.{part}.weight" for b in range(len(model.blocks)) for part in ("qkv", "out", "mlp.0", "mlp.2")]
    if len(unnamed) != len(linear):
        raise SystemExit(f"expected {len(linear)} unnamed MatMul weights, found {len(unnamed)}")
    for name, init in zip(linear, unnamed):
        weight = torch.from_numpy(inits[init].T.copy())
        if tuple(weight.shape) != tuple(state[name].shape):
            raise SystemExit(f"{init} {tuple(weight.shape)} does not fit {name} {tuple(state[name].shape)}")
        state[name] = weight
    missing = [n for n in state if n not in inits and n not in linear]
    if missing:
        raise SystemExit(f"no weights for {missing}")
    model.load_state_dict(state)
    return model.eval(), sp


def main():
    torch.set_num_threads(2)
    model, sp = load_student()
    tm.write_embedding_reference(model, sp)
    heldout = os.path.join(tm.REPO, "tests", "data", "tiny-clip-heldout")
    rows = [ln.split("\t") for ln in open(os.path.join(heldout, "labels.tsv"), encoding="utf-8").read().splitlines()[1:]]
    image_embeddings = tm.embed([("image", os.path.join(heldout, f)) for f, _ in rows])
    accuracy = tm.heldout_accuracy(model, sp, heldout, np.asarray(image_embeddings), multilingual.LANGUAGES)
    print("zero-shot top-1 by language:", accuracy)
    tm.write_label_reference(accuracy)


if __name__ == "__main__":
    main()
