"""A real-size model folder for the benchmarks: OpenAI CLIP's ViT-B/32 or ViT-B/16 architecture (tools/bench/vit_clip.py)
with random weights from a fixed seed, exported as Transformers.js lays out Xenova's CLIP models:
onnx/vision_model.onnx (pixel_values [batch,3,224,224] -> image_embeds) and onnx/text_model.onnx (input_ids ->
text_embeds), with CLIP's real BPE tokenizer (49,408 tokens, copied from models/tiny-clip) and config files. Its
embeddings mean nothing; it costs what the real model costs, which is what the benchmarks need. No model hub is
reachable here, so the real weights cannot be had.

The PyTorch model is saved beside the ONNX files as clip.pt (arch, seed, state dict) for
tools/bench/reference_pipeline.py. Not committed: about 0.6 GB per folder (1.2 GB with the variants).

Variants (--variants quantized,fp16), written by graph rewrites with the onnx package (onnxruntime's Python
quantization tool is not installable here):
- quantized: dynamic int8 as Transformers.js' q8: every MatMul with a constant weight becomes DynamicQuantizeLinear
  (activations to uint8, per tensor, at run time) + MatMulInteger with int8 weights (symmetric, one scale per output
  column) + Cast + Mul by the two scales, the pattern ONNX Runtime fuses into DynamicQuantizeMatMul. The patch
  convolution and the token table stay float32 (as in q8 exports, they are a small share of the time).
- fp16: every float32 weight and constant in float16, with float32 inputs and outputs (a Cast at each end), because
  ClipSearch feeds float32 pixels and reads float32 embeddings. On CPU ONNX Runtime runs the float16 nodes it has
  no float16 kernel for by casting around them, so this variant halves the files, not the time (ViT-B/32 indexing:
  x0.98 of full precision; quantized x1.97; docs/BENCHMARKS.md).

With --check PATH/clipsearch.dll, each written variant is loaded by `clipsearch embed` and its text and image
embeddings are compared with PyTorch's (cosine similarity; the image is a 224x224 PNG, so no resize is involved).

usage: /usr/bin/python3 tools/bench/make_vit_model.py OUT_DIR --arch b32|b16 [--variants quantized,fp16] [--check DLL]
"""
import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile

import numpy as np
import onnx
import torch
from onnx import TensorProto, helper, numpy_helper

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tiny-clip"))
import vit_clip  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
TINY = os.path.join(ROOT, "models", "tiny-clip")
MEAN = (0.48145466, 0.4578275, 0.40821073)
STD = (0.26862954, 0.26130258, 0.27577711)


def export(model, out):
    onnx_dir = os.path.join(out, "onnx")
    os.makedirs(onnx_dir, exist_ok=True)
    with torch.no_grad():
        torch.onnx.export(model.visual, torch.zeros(1, 3, 224, 224), os.path.join(onnx_dir, "vision_model.onnx"),
                          input_names=["pixel_values"], output_names=["image_embeds"], opset_version=14,
                          dynamic_axes={"pixel_values": {0: "batch_size"}, "image_embeds": {0: "batch_size"}})
        ids = torch.zeros(1, vit_clip.CONTEXT, dtype=torch.int64)
        ids[0, 0], ids[0, 1] = 49406, 49407
        torch.onnx.export(model.text, ids, os.path.join(onnx_dir, "text_model.onnx"),
                          input_names=["input_ids"], output_names=["text_embeds"], opset_version=14,
                          dynamic_axes={"input_ids": {0: "batch_size", 1: "sequence_length"}, "text_embeds": {0: "batch_size"}})


def quantize_dynamic(model):
    g = model.graph
    weights = {t.name: t for t in g.initializer}
    uses = {}
    for node in g.node:
        for name in node.input:
            uses[name] = uses.get(name, 0) + 1
    nodes, quantized, added, dropped = [], {}, [], set()
    for node in g.node:
        w = weights.get(node.input[1]) if node.op_type == "MatMul" and len(node.input) == 2 else None
        if w is None or len(w.dims) != 2 or w.data_type != TensorProto.FLOAT:
            nodes.append(node)
            continue
        a, y, stem = node.input[0], node.output[0], w.name.replace("/", "_").replace(".", "_")
        if a not in quantized:  # one DynamicQuantizeLinear per activation, shared by the MatMuls reading it
            names = (f"{a}_quantized", f"{a}_scale", f"{a}_zero_point")
            nodes.append(helper.make_node("DynamicQuantizeLinear", [a], list(names), name=f"{a}_DynamicQuantizeLinear"))
            quantized[a] = names
        a_q, a_scale, a_zero = quantized[a]
        array = numpy_helper.to_array(w)
        scale = np.abs(array).max(axis=0) / 127.0
        scale[scale == 0] = 1.0
        added += [numpy_helper.from_array(np.clip(np.round(array / scale), -127, 127).astype(np.int8), f"{stem}_quantized"),
                  numpy_helper.from_array(scale.astype(np.float32), f"{stem}_scale"),
                  numpy_helper.from_array(np.zeros(array.shape[1], np.int8), f"{stem}_zero_point")]
        nodes += [
            helper.make_node("MatMulInteger", [a_q, f"{stem}_quantized", a_zero, f"{stem}_zero_point"], [f"{y}_int32"], name=f"{node.name}_MatMulInteger"),
            helper.make_node("Cast", [f"{y}_int32"], [f"{y}_cast"], to=TensorProto.FLOAT, name=f"{node.name}_Cast"),
            helper.make_node("Mul", [a_scale, f"{stem}_scale"], [f"{y}_scales"], name=f"{node.name}_ScaleMul"),
            helper.make_node("Mul", [f"{y}_cast", f"{y}_scales"], [y], name=f"{node.name}_Mul"),
        ]
        uses[w.name] -= 1
        if uses[w.name] == 0:
            dropped.add(w.name)
    kept = [t for t in g.initializer if t.name not in dropped]
    del g.node[:]
    g.node.extend(nodes)
    del g.initializer[:]
    g.initializer.extend(kept + added)
    del g.value_info[:]
    return model


def to_fp16(model):
    g = model.graph

    def half(tensor):
        return numpy_helper.from_array(numpy_helper.to_array(tensor).astype(np.float16), tensor.name)

    for i, t in enumerate(g.initializer):
        if t.data_type == TensorProto.FLOAT:
            g.initializer[i].CopyFrom(half(t))
    for node in g.node:
        for attr in node.attribute:
            if attr.type == onnx.AttributeProto.TENSOR and attr.t.data_type == TensorProto.FLOAT:
                attr.t.CopyFrom(half(attr.t))
            if node.op_type == "Cast" and attr.name == "to" and attr.i == TensorProto.FLOAT:
                attr.i = TensorProto.FLOAT16
    casts = []
    for value in g.input:
        if value.type.tensor_type.elem_type == TensorProto.FLOAT:
            for node in g.node:
                node.input[:] = [f"{value.name}_fp16" if n == value.name else n for n in node.input]
            casts.append(helper.make_node("Cast", [value.name], [f"{value.name}_fp16"], to=TensorProto.FLOAT16, name=f"{value.name}_ToFp16"))
    for value in g.output:
        if value.type.tensor_type.elem_type == TensorProto.FLOAT:
            for node in g.node:
                node.output[:] = [f"{value.name}_fp16" if n == value.name else n for n in node.output]
            casts.append(helper.make_node("Cast", [f"{value.name}_fp16"], [value.name], to=TensorProto.FLOAT, name=f"{value.name}_ToFp32"))
    nodes = [c for c in casts if c.output[0].endswith("_fp16")] + list(g.node) + [c for c in casts if not c.output[0].endswith("_fp16")]
    del g.node[:]
    g.node.extend(nodes)
    del g.value_info[:]
    return model


def write_variants(out, variants):
    rewrites = {"quantized": quantize_dynamic, "fp16": to_fp16}
    for variant in variants:
        for tower in ("vision_model", "text_model"):
            model = rewrites[variant](onnx.load(os.path.join(out, "onnx", f"{tower}.onnx")))
            onnx.checker.check_model(model)
            onnx.save(model, os.path.join(out, "onnx", f"{tower}_{variant}.onnx"))


def write_config(out, arch):
    for name in ("vocab.json", "merges.txt", "tokenizer.json", "tokenizer_config.json", "preprocessor_config.json", "CLIP-LICENSE"):
        shutil.copyfile(os.path.join(TINY, name), os.path.join(out, name))
    patch = vit_clip.ARCHS[arch]
    config = {
        "_name_or_path": f"bench/clip-vit-base-patch{patch}-random", "architectures": ["CLIPModel"], "model_type": "clip",
        "projection_dim": 512, "logit_scale_init_value": 2.6592,
        "text_config": {"vocab_size": vit_clip.VOCAB, "max_position_embeddings": vit_clip.CONTEXT, "hidden_size": 512,
                        "intermediate_size": 2048, "num_hidden_layers": 12, "num_attention_heads": 8, "hidden_act": "quick_gelu",
                        "bos_token_id": 49406, "eos_token_id": 49407, "pad_token_id": 1},
        "vision_config": {"image_size": 224, "patch_size": patch, "num_channels": 3, "hidden_size": 768, "intermediate_size": 3072,
                          "num_hidden_layers": 12, "num_attention_heads": 12, "hidden_act": "quick_gelu"},
    }
    with open(os.path.join(out, "config.json"), "w") as f:
        json.dump(config, f, indent=2)


def check(model, out, variants, dll):
    """Cosine between clipsearch embed and PyTorch, per variant, for two texts and one image."""
    from clip_bpe import ClipBpe
    from PIL import Image
    bpe = ClipBpe(os.path.join(out, "vocab.json"), os.path.join(out, "merges.txt"))
    texts = ["a dog", "a photograph of two cats asleep on a red sofa"]
    rng = np.random.default_rng(1)
    pixels = (rng.random((224, 224, 3)) * 255).astype(np.uint8)
    with tempfile.TemporaryDirectory() as tmp:
        image = os.path.join(tmp, "check.png")
        Image.fromarray(pixels).save(image)
        x = torch.from_numpy(((pixels / 255.0 - MEAN) / STD).astype(np.float32)).permute(2, 0, 1)[None]
        with torch.no_grad():
            ours = torch.cat([model.text(torch.tensor([bpe.context77(t) for t in texts])), model.visual(x)])
        ours = torch.nn.functional.normalize(ours, dim=-1).numpy()
        result = {}
        for variant in [None] + variants:
            command = ["dotnet", dll, "embed", "--model", out] + (["--variant", variant] if variant else [])
            command += [a for t in texts for a in ("--text", t)] + ["--image", image]
            lines = subprocess.run(command, check=True, capture_output=True, text=True).stdout.splitlines()
            theirs = np.array([json.loads(line)["embedding"] for line in lines], dtype=np.float32)
            theirs /= np.linalg.norm(theirs, axis=1, keepdims=True)
            cos = (ours * theirs).sum(axis=1)
            result[variant or "full"] = {"text_min_cosine": round(float(cos[:2].min()), 6), "image_cosine": round(float(cos[2]), 6)}
    return result


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("out")
    p.add_argument("--arch", choices=sorted(vit_clip.ARCHS), default="b32")
    p.add_argument("--variants", default="", help="comma-separated: quantized, fp16")
    p.add_argument("--check", metavar="DLL", help="clipsearch.dll: compare its embeddings with PyTorch's")
    a = p.parse_args()
    variants = [v for v in a.variants.split(",") if v]
    unknown = set(variants) - {"quantized", "fp16"}
    if unknown:
        p.error(f"unknown variants: {', '.join(sorted(unknown))}")
    model = vit_clip.build(a.arch)
    os.makedirs(a.out, exist_ok=True)
    torch.save({"arch": a.arch, "seed": vit_clip.SEED, "state_dict": model.state_dict()}, os.path.join(a.out, "clip.pt"))
    export(model, a.out)
    write_variants(a.out, variants)
    write_config(a.out, a.arch)
    report = {"model": a.out, "arch": a.arch, "seed": vit_clip.SEED,
              "vision_parameters_m": round(sum(t.numel() for t in model.visual.parameters()) / 1e6, 1),
              "text_parameters_m": round(sum(t.numel() for t in model.text.parameters()) / 1e6, 1),
              "variants": ["full"] + variants}
    if a.check:
        report["agreement_with_pytorch"] = check(model, a.out, variants, a.check)
    print(json.dumps(report))


if __name__ == "__main__":
    sys.exit(main())
