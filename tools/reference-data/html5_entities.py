"""Writes src/Clip/Tokenization/html5-entities.json from Python's html.entities.html5.

CLIP's reference tokenizer calls Python's html.unescape, which knows the 2,231 HTML5 named
character references (106 of them also without the trailing ';'); .NET's WebUtility knows fewer.
usage: python3 tools/reference-data/html5_entities.py
"""
import html.entities
import json
import os

out = os.path.join(os.path.dirname(__file__), "..", "..", "src", "Clip", "Tokenization", "html5-entities.json")
with open(out, "w", encoding="utf-8") as f:
    json.dump(dict(sorted(html.entities.html5.items())), f, ensure_ascii=True, indent=0)
    f.write("\n")
print(f"wrote {len(html.entities.html5)} entities to {os.path.normpath(out)}")
