"""Writes Hugging Face tokenizer.json files for the tiny models, in the form the published exports carry them, so that
the engine's tokenizer.json path (Tokenizers.DotNet, i.e. the reference Rust `tokenizers`) is exercised on the same
files users pull.

* `sentencepiece_unigram`: a SentencePiece Unigram model as transformers' converters write it (XLM-R, T5/SigLIP): the
  model's own precompiled normaliser, whitespace runs collapsed, the Metaspace pre-tokenizer, the Unigram pieces and
  scores, and a template adding the model's special tokens.
* `clip_bpe`: CLIP's byte-level BPE as transformers' CLIPConverter writes it (NFC, whitespace collapsed, lower-cased;
  CLIP's split; byte-level; merges with the </w> suffix; <|startoftext|> ... <|endoftext|>).

The parity tests compare what the Rust library does with these files against python sentencepiece and against OpenAI's
CLIP tokenizer, so a mistake here fails a test rather than passing silently.

usage: /usr/bin/python3 tools/tiny-clip/tokenizer_json.py   (rewrites the files of the committed tiny models)
"""
import base64
import json
import os

import sentencepiece as spm
from sentencepiece import sentencepiece_model_pb2

REPO = os.path.abspath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
CLIP_SPLIT = r"""<\|startoftext\|>|<\|endoftext\|>|'s|'t|'re|'ve|'m|'ll|'d|[\p{L}]+|[\p{N}]|[^\s\p{L}\p{N}]+"""


def _added(token_id, content, normalized=False):
    return {"id": token_id, "content": content, "single_word": False, "lstrip": False, "rstrip": False,
            "normalized": normalized, "special": True}


def sentencepiece_unigram(model_path, out_path, begin=None, end="</s>"):
    """tokenizer.json for a SentencePiece Unigram model; rows are [begin] pieces [end] (special tokens by piece)."""
    proto = sentencepiece_model_pb2.ModelProto()
    with open(model_path, "rb") as f:
        proto.ParseFromString(f.read())
    sp = spm.SentencePieceProcessor(model_file=model_path)
    vocab = [[p.piece, p.score if p.type == 1 else 0.0] for p in proto.pieces]
    specials = [i for i, p in enumerate(proto.pieces) if p.type in (2, 3)]  # UNKNOWN, CONTROL
    normalizers = []
    if proto.normalizer_spec.precompiled_charsmap:
        normalizers.append({"type": "Precompiled",
                            "precompiled_charsmap": base64.b64encode(proto.normalizer_spec.precompiled_charsmap).decode("ascii")})
    normalizers.append({"type": "Replace", "pattern": {"Regex": " {2,}"}, "content": " "})
    single = ([{"SpecialToken": {"id": begin, "type_id": 0}}] if begin else []) + [{"Sequence": {"id": "A", "type_id": 0}}]
    single += [{"SpecialToken": {"id": end, "type_id": 0}}] if end else []
    template_tokens = {t: {"id": t, "ids": [sp.piece_to_id(t)], "tokens": [t]} for t in (begin, end) if t}
    doc = {
        "version": "1.0",
        "truncation": None,
        "padding": None,
        "added_tokens": [_added(i, proto.pieces[i].piece) for i in specials],
        "normalizer": {"type": "Sequence", "normalizers": normalizers},
        "pre_tokenizer": {"type": "Metaspace", "replacement": "\u2581", "prepend_scheme": "always", "split": True},
        "post_processor": {"type": "TemplateProcessing", "single": single, "pair": single + [{"Sequence": {"id": "B", "type_id": 1}}],
                           "special_tokens": template_tokens},
        "decoder": {"type": "Metaspace", "replacement": "\u2581", "prepend_scheme": "always", "split": True},
        "model": {"type": "Unigram", "unk_id": sp.unk_id(), "vocab": vocab, "byte_fallback": False},
    }
    _write(doc, out_path)


def clip_bpe(vocab_path, merges_path, out_path):
    """tokenizer.json for CLIP's byte-level BPE (vocab.json + merges.txt)."""
    with open(vocab_path, encoding="utf-8") as f:
        vocab = json.load(f)
    with open(merges_path, encoding="utf-8") as f:
        merges = [ln.rstrip("\n") for ln in f if ln.strip() and not ln.startswith("#version")]
    sot, eot = vocab["<|startoftext|>"], vocab["<|endoftext|>"]
    doc = {
        "version": "1.0",
        "truncation": None,
        "padding": None,
        "added_tokens": [_added(sot, "<|startoftext|>", True), _added(eot, "<|endoftext|>", False)],
        "normalizer": {"type": "Sequence", "normalizers": [{"type": "NFC"}, {"type": "Replace", "pattern": {"Regex": r"\s+"}, "content": " "},
                                                           {"type": "Lowercase"}]},
        "pre_tokenizer": {"type": "Sequence", "pretokenizers": [
            {"type": "Split", "pattern": {"Regex": CLIP_SPLIT}, "behavior": "Removed", "invert": True},
            {"type": "ByteLevel", "add_prefix_space": False, "trim_offsets": True, "use_regex": True}]},
        "post_processor": {"type": "RobertaProcessing", "sep": ["<|endoftext|>", eot], "cls": ["<|startoftext|>", sot],
                           "trim_offsets": False, "add_prefix_space": False},
        "decoder": {"type": "ByteLevel", "add_prefix_space": True, "trim_offsets": True, "use_regex": True},
        "model": {"type": "BPE", "dropout": None, "unk_token": "<|endoftext|>", "continuing_subword_prefix": "", "end_of_word_suffix": "</w>",
                  "fuse_unk": False, "byte_fallback": False, "vocab": vocab, "merges": merges},
    }
    _write(doc, out_path)


def _write(doc, path):
    with open(path, "w", encoding="utf-8") as f:
        json.dump(doc, f, ensure_ascii=False, separators=(",", ":"))
    print(f"wrote {os.path.relpath(path, REPO)} ({os.path.getsize(path)} bytes)")


def main():
    models = os.path.join(REPO, "models")
    clip_bpe(os.path.join(models, "tiny-clip", "vocab.json"), os.path.join(models, "tiny-clip", "merges.txt"),
             os.path.join(models, "tiny-clip", "tokenizer.json"))
    textual = os.path.join(models, "tiny-clip-multilingual", "textual")
    if os.path.exists(os.path.join(textual, "sentencepiece.bpe.model")):
        sentencepiece_unigram(os.path.join(textual, "sentencepiece.bpe.model"), os.path.join(textual, "tokenizer.json"), begin="<s>", end="</s>")
    siglip = os.path.join(models, "tiny-siglip")
    if os.path.exists(os.path.join(siglip, "spiece.model")):
        sentencepiece_unigram(os.path.join(siglip, "spiece.model"), os.path.join(siglip, "tokenizer.json"), begin=None, end="</s>")


if __name__ == "__main__":
    main()
