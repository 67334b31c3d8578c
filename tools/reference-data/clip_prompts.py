#!/usr/bin/python3
"""Extracts ClipSearch's prompt-template presets from OpenAI's published prompts (shared/reference).

Writes src/Core/ZeroShot/prompt-presets.json: {"photo": [...], "imagenet80": [...80 templates...],
"pets": [...], "food": [...], ...}, each a list of templates with {} for the label. Sources:
shared/reference/clip-imagenet-templates.txt and the `templates = [...]` lists of shared/reference/clip-prompts.md
(github.com/openai/CLIP, MIT licence).

usage: tools/reference-data/clip_prompts.py [SHARED_REFERENCE_DIR]
"""
import ast
import json
import os
import re
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PRESETS = {  # preset name -> section of clip-prompts.md
    "pets": "OxfordPets", "food": "Food101", "satellite": "EuroSAT", "aircraft": "FGVCAircraft",
    "flowers": "Flowers102", "cars": "StanfordCars", "birds": "Birdsnap", "textures": "DescribableTextures",
    "scenes": "SUN397", "cifar": "CIFAR100", "traffic-signs": "GTSRB", "actions": "UCF101",
}


def main():
    ref = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "..", "shared", "reference")
    with open(os.path.join(ref, "clip-imagenet-templates.txt"), encoding="utf-8") as f:
        imagenet = [line.rstrip("\n") for line in f if line.strip()]
    with open(os.path.join(ref, "clip-prompts.md"), encoding="utf-8") as f:
        text = f.read()
    sections = dict(re.findall(r"^## (\S+)\n(.*?)(?=^## |\Z)", text, flags=re.S | re.M))
    presets = {"photo": ["a photo of a {}."], "imagenet80": imagenet}
    for name, section in PRESETS.items():
        body = sections[section]
        templates = ast.literal_eval(re.search(r"templates = (\[.*?\])", body, flags=re.S).group(1))
        presets[name] = templates
    out = os.path.join(ROOT, "src", "Core", "ZeroShot", "prompt-presets.json")
    with open(out, "w", encoding="utf-8") as f:
        json.dump(presets, f, indent=1, ensure_ascii=False)
        f.write("\n")
    print(f"{out}: " + ", ".join(f"{k} ({len(v)})" for k, v in presets.items()))


if __name__ == "__main__":
    main()
