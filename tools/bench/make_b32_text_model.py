"""A model folder for timing only: a text tower with the shapes of OpenAI CLIP ViT-B/32's (width 512, 12 layers,
8 heads, 77 tokens, 512-d projection; 63 M parameters) and random weights, beside a small vision tower with the
same 512-d output, in the Hugging Face / Transformers.js layout ClipSearch loads. Its embeddings mean nothing;
it costs what the real text tower costs per query, which is what the Search API benchmark needs
(tools/bench/api.sh MODEL=...). No model hub is reachable here, so the real weights cannot be had.
usage: /usr/bin/python3 tools/bench/make_b32_text_model.py OUT_DIR
"""
import json
import os
import shutil
import sys

import torch

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "tiny-clip"))
from model import TextTower, VisionTower  # noqa: E402

out = sys.argv[1]
root = os.path.join(os.path.dirname(__file__), "..", "..")
torch.manual_seed(0)
text = TextTower(512, width=512, layers=12, heads=8, token_rank=512).eval()
vision = VisionTower(512).eval()
os.makedirs(os.path.join(out, "onnx"), exist_ok=True)
with torch.no_grad():
    torch.onnx.export(vision, torch.zeros(1, 3, 224, 224), os.path.join(out, "onnx", "vision_model.onnx"),
                      input_names=["pixel_values"], output_names=["image_embeds"], opset_version=14,
                      dynamic_axes={"pixel_values": {0: "batch_size"}, "image_embeds": {0: "batch_size"}})
    ids = torch.zeros(1, 77, dtype=torch.int64)
    ids[0, 0], ids[0, 1] = 49406, 49407
    torch.onnx.export(text, ids, os.path.join(out, "onnx", "text_model.onnx"),
                      input_names=["input_ids"], output_names=["text_embeds"], opset_version=14,
                      dynamic_axes={"input_ids": {0: "batch_size", 1: "sequence_length"}, "text_embeds": {0: "batch_size"}})
for name in ("vocab.json", "merges.txt", "preprocessor_config.json", "tokenizer_config.json"):
    shutil.copyfile(os.path.join(root, "models", "tiny-clip", name), os.path.join(out, name))
with open(os.path.join(out, "config.json"), "w") as f:
    json.dump({"_name_or_path": "bench/b32-shaped-text-random", "architectures": ["CLIPModel"], "model_type": "clip", "projection_dim": 512}, f)
print(f"{out}: {sum(p.numel() for p in text.parameters()) / 1e6:.1f} M text parameters")
