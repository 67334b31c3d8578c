"""Writes tiny hand-built ONNX graphs that the C# tests use to exercise model loading paths the
trained tiny model does not take: int32 ids with a declared attention_mask (fastembed-style),
a rank-3 output, and towers of different dimensions.

usage: /usr/bin/python3 tools/tiny-clip/fixtures.py   (writes tests/data/onnx-fixtures/)
The weights are closed-form (see weight()), so tests can compute the expected embeddings themselves.
"""
import math
import os

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "tests", "data", "onnx-fixtures")
CONTEXT = 77


def weight(rows, cols, salt):
    """W[i, j] = sin(0.37 * (i * cols + j) + salt): easy to recompute in C#."""
    i, j = np.meshgrid(np.arange(rows), np.arange(cols), indexing="ij")
    return np.sin(0.37 * (i * cols + j) + salt).astype(np.float32)


def save(graph, name):
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 14)], producer_name="clipsearch-fixtures")
    model.ir_version = 8
    onnx.checker.check_model(model)
    onnx.save(model, os.path.join(OUT, name))


def text_int32_mask(dim, name, output="text_embeds"):
    """text_embeds = float(input_ids * attention_mask) @ W[77, dim] / 49407, ids and mask int32 [batch, 77]."""
    ids = helper.make_tensor_value_info("input_ids", TensorProto.INT32, ["batch", CONTEXT])
    mask = helper.make_tensor_value_info("attention_mask", TensorProto.INT32, ["batch", CONTEXT])
    out = helper.make_tensor_value_info(output, TensorProto.FLOAT, ["batch", dim])
    w = numpy_helper.from_array(weight(CONTEXT, dim, 1.0) / 49407.0, "W")
    nodes = [
        helper.make_node("Mul", ["input_ids", "attention_mask"], ["masked"]),
        helper.make_node("Cast", ["masked"], ["masked_f"], to=TensorProto.FLOAT),
        helper.make_node("MatMul", ["masked_f", "W"], [output]),
    ]
    save(helper.make_graph(nodes, "text", [ids, mask], [out], [w]), name)


def vision(dim, name, rank3=False, side=224):
    """image_embeds = mean over H, W of pixel_values [batch, 3, side, side] @ W[3, dim] + 0.1 (side None: any size)."""
    sides = [side, side] if side else ["height", "width"]
    px = helper.make_tensor_value_info("pixel_values", TensorProto.FLOAT, ["batch", 3, *sides])
    out_shape = ["batch", 1, dim] if rank3 else ["batch", dim]
    out = helper.make_tensor_value_info("image_embeds", TensorProto.FLOAT, out_shape)
    w = numpy_helper.from_array(weight(3, dim, 2.0), "W")
    b = numpy_helper.from_array(np.full(dim, 0.1, dtype=np.float32), "B")
    nodes = [
        helper.make_node("ReduceMean", ["pixel_values"], ["pooled"], axes=[2, 3], keepdims=0),
        helper.make_node("MatMul", ["pooled", "W"], ["proj"]),
        helper.make_node("Add", ["proj", "B"], ["embeds" if rank3 else "image_embeds"]),
    ]
    inits = [w, b]
    if rank3:
        nodes.append(helper.make_node("Unsqueeze", ["embeds", "axis1"], ["image_embeds"]))
        inits.append(numpy_helper.from_array(np.array([1], dtype=np.int64), "axis1"))
    save(helper.make_graph(nodes, "vision", [px], [out], inits), name)


def immich_text(dim, name):
    """immich's open_clip text export: 'text' int32 [1, 77] -> 'embedding' [1, dim] (no dynamic axes: one row per run)."""
    ids = helper.make_tensor_value_info("text", TensorProto.INT32, [1, CONTEXT])
    out = helper.make_tensor_value_info("embedding", TensorProto.FLOAT, [1, dim])
    w = numpy_helper.from_array(weight(CONTEXT, dim, 3.0) / 49407.0, "W")
    nodes = [
        helper.make_node("Cast", ["text"], ["ids_f"], to=TensorProto.FLOAT),
        helper.make_node("MatMul", ["ids_f", "W"], ["embedding"]),
    ]
    save(helper.make_graph(nodes, "textual", [ids], [out], [w]), name)


def immich_vision(dim, name):
    """immich's open_clip image export: 'image' [1, 3, 224, 224] -> 'embedding' [1, dim]."""
    px = helper.make_tensor_value_info("image", TensorProto.FLOAT, [1, 3, 224, 224])
    out = helper.make_tensor_value_info("embedding", TensorProto.FLOAT, [1, dim])
    w = numpy_helper.from_array(weight(3, dim, 4.0), "W")
    b = numpy_helper.from_array(np.full(dim, 0.1, dtype=np.float32), "B")
    nodes = [
        helper.make_node("ReduceMean", ["image"], ["pooled"], axes=[2, 3], keepdims=0),
        helper.make_node("MatMul", ["pooled", "W"], ["proj"]),
        helper.make_node("Add", ["proj", "B"], ["embedding"]),
    ]
    save(helper.make_graph(nodes, "visual", [px], [out], [w, b]), name)


if __name__ == "__main__":
    os.makedirs(OUT, exist_ok=True)
    text_int32_mask(8, "text_int32_mask_d8.onnx")
    text_int32_mask(6, "text_int32_mask_d6.onnx")
    vision(8, "vision_d8.onnx")
    vision(8, "vision_rank3_d8.onnx", rank3=True)
    vision(96, "vision_d96_any_size.onnx", side=None)
    immich_text(8, "immich_textual_d8.onnx")  # immich's tensor names and fixed batch of one
    immich_vision(8, "immich_visual_d8.onnx")  # beside the tiny text tower, for image sizes other than 224 (MobileCLIP's 256)
    print(f"wrote fixtures to {os.path.normpath(OUT)}")
