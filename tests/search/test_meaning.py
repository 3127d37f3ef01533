"""Titles by meaning: the WordPiece tokenizer, the numpy MiniLM, static vectors and the coder's
nearest-title search (tiny invented vocabularies and vectors: no model, no official files)."""

from __future__ import annotations

import io
import json
import pickle
import struct
from pathlib import Path

import numpy as np
import pytest

from lmi.search.coder import Coder
from lmi.search.embedding import StaticEmbedding, default_embedding
from lmi.search.index import Entry
from lmi.search.minilm import MiniLM, read_safetensors
from lmi.search.wordpiece import WordPiece

VOCABULARY = [
    "[PAD]",
    "[UNK]",
    "[CLS]",
    "[SEP]",
    "zoo",
    "##keep",
    "##er",
    "keep",
    "book",
    "-",
    "cafe",
]


def test_wordpiece_cuts_words_into_the_longest_pieces() -> None:
    tok = WordPiece(VOCABULARY)
    ids = tok.ids
    assert tok.encode("Zookeeper") == [ids["zoo"], ids["##keep"], ids["##er"]]
    assert tok.encode("Book-keeper") == [ids["book"], ids["-"], ids["keep"], ids["##er"]]
    assert tok.encode("Café") == [ids["cafe"]]  # lower-cased, accent stripped
    assert tok.encode("zebra") == [tok.unk]  # a word that cannot be cut is unknown whole


def _write_safetensors(path: Path, tensors: dict[str, np.ndarray]) -> None:
    header: dict[str, object] = {"__metadata__": {"format": "pt"}}
    blobs, offset = [], 0
    for name, array in tensors.items():
        data = np.ascontiguousarray(array, dtype=np.float32).tobytes()
        header[name] = {
            "dtype": "F32",
            "shape": list(array.shape),
            "data_offsets": [offset, offset + len(data)],
        }
        blobs.append(data)
        offset += len(data)
    encoded = json.dumps(header).encode()
    path.write_bytes(struct.pack("<Q", len(encoded)) + encoded + b"".join(blobs))


def _tiny_model(directory: Path, width: int = 24, layers: int = 2) -> None:
    rng = np.random.default_rng(0)
    t: dict[str, np.ndarray] = {
        "embeddings.word_embeddings.weight": rng.normal(size=(len(VOCABULARY), width)),
        "embeddings.position_embeddings.weight": rng.normal(size=(16, width)),
        "embeddings.token_type_embeddings.weight": rng.normal(size=(2, width)),
        "embeddings.LayerNorm.weight": np.ones(width),
        "embeddings.LayerNorm.bias": np.zeros(width),
    }
    for i in range(layers):
        p = f"encoder.layer.{i}."
        for name, shape in [
            ("attention.self.query", (width, width)),
            ("attention.self.key", (width, width)),
            ("attention.self.value", (width, width)),
            ("attention.output.dense", (width, width)),
            ("intermediate.dense", (4 * width, width)),
            ("output.dense", (width, 4 * width)),
        ]:
            t[p + name + ".weight"] = rng.normal(size=shape) * 0.2
            t[p + name + ".bias"] = rng.normal(size=shape[0]) * 0.1
        for norm in ("attention.output.LayerNorm", "output.LayerNorm"):
            t[p + norm + ".weight"] = np.ones(width)
            t[p + norm + ".bias"] = np.zeros(width)
    _write_safetensors(directory / "model.safetensors", t)
    (directory / "vocab.txt").write_text("\n".join(VOCABULARY) + "\n", encoding="utf-8")


def test_safetensors_are_read_as_written(tmp_path: Path) -> None:
    arrays = {"a": np.arange(6, dtype=np.float32).reshape(2, 3), "b": np.ones(4, np.float32)}
    _write_safetensors(tmp_path / "x.safetensors", arrays)
    found = read_safetensors(tmp_path / "x.safetensors")
    assert set(found) == {"a", "b"}
    assert np.array_equal(found["a"], arrays["a"]) and np.array_equal(found["b"], arrays["b"])


def test_minilm_gives_unit_vectors_whatever_the_padding(tmp_path: Path) -> None:
    _tiny_model(tmp_path)
    model = MiniLM(tmp_path)
    alone = model.encode(["zookeeper"])
    together = model.encode(["zookeeper", "book-keeper cafe zoo"])
    assert np.allclose(np.linalg.norm(together, axis=1), 1.0, atol=1e-5)
    # a padded position must change nothing (the attention mask and the mean pooling)
    assert np.allclose(alone[0], together[0], atol=1e-5)
    assert not np.allclose(together[0], together[1], atol=1e-2)


def _embedding() -> StaticEmbedding:
    """Invented 4-d vectors: animals, books, flying, cooking."""
    vectors = {
        "zoo": [1, 0, 0, 0],
        "##keep": [0.5, 0.5, 0, 0],
        "##er": [0, 0, 0, 0],
        "keep": [0.5, 0.5, 0, 0],
        "book": [0, 1, 0, 0],
        "animal": [1, 0, 0, 0],
        "pilot": [0, 0, 1, 0],
        "astronaut": [0, 0, 0.9, 0.1],
        "aircraft": [0, 0, 1, 0],
        "chef": [0, 0, 0, 1],
        "cook": [0, 0, 0, 1],
        "kitchen": [0, 0, 0, 1],
    }
    vocabulary = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", *vectors]
    table = np.array([[0.0] * 4] * 4 + list(vectors.values()), dtype=np.float32)
    out = io.BytesIO()
    np.savez_compressed(out, vocabulary=np.array(vocabulary), vectors=table.astype(np.float16))
    return StaticEmbedding.from_npz(out.getvalue())


def test_a_title_vector_is_the_unit_weighted_mean_of_its_words() -> None:
    embedding = _embedding()
    assert np.allclose(embedding.word("zookeeper"), [0.5, 1 / 6, 0, 0])  # its pieces' mean

    def weight(word: str) -> float:
        return 3.0 if word == "book" else 1.0

    vector = embedding.title(["book", "keeper"], weight)
    assert vector is not None and np.isclose(np.linalg.norm(vector), 1.0)
    assert embedding.title(["qqq"]) is None  # no known piece
    rows = embedding.titles([["book", "keeper"], ["qqq"]], {"book": 3.0}, 1.0)
    assert np.allclose(rows[0], vector)
    expected = np.array([0.25, 3.25, 0, 0])  # "keeper": the mean of "keep" and "##er"
    assert np.allclose(vector, expected / np.linalg.norm(expected))
    assert np.allclose(rows[1], 0.0)


TITLES = [
    ("6139", "Zoo keeper"),
    ("6139", "Animal keeper"),
    ("4122", "Book keeper"),
    ("4122", "Bookkeeper"),
    ("3512", "Aircraft pilot"),
    ("3512", "Pilot"),
    ("5434", "Chef"),
    ("5434", "Kitchen cook"),
]


def _coder(meaning: bool) -> Coder:
    entries = [Entry(code, title, "", "index", 1.0) for code, title in TITLES]
    units = {code: f"Group {code}" for code, _ in TITLES}
    return Coder("soc2010", entries, [], units, embedding=_embedding if meaning else None)


def test_a_title_sharing_no_word_with_the_index_is_coded_by_meaning() -> None:
    assert _coder(meaning=False).code("Astronaut").status == "uncodable"
    found = _coder(meaning=True).code("Astronaut", top=2)
    assert found.best is not None and found.best.code == "3512"
    assert found.best.method == "fuzzy"
    # junk means nothing: no answer by meaning either
    assert _coder(meaning=True).code("Qwrtzy").status == "uncodable"


def test_meaning_features_describe_the_candidates() -> None:
    coder = _coder(meaning=True)
    codes, rows, _ = coder.features(("astronaut",), ())
    from lmi.search.coder import Feature

    by_code = dict(zip(codes, rows, strict=True))
    assert by_code["3512"][Feature.meaning] > 0.9
    assert by_code["3512"][Feature.meaning_group] > by_code["4122"][Feature.meaning_group]
    assert sum(row[Feature.meaning_votes] for row in rows) == pytest.approx(1.0)


def test_a_coder_with_meaning_pickles_and_codes_alike() -> None:
    coder = _coder(meaning=True).warm()
    again = pickle.loads(pickle.dumps(coder, protocol=pickle.HIGHEST_PROTOCOL))
    for title in ("Astronaut", "Zookeeper", "Pastry chef"):
        assert again.code(title, top=2) == coder.code(title, top=2)


def test_the_shipped_table_loads_and_knows_job_words() -> None:
    embedding = default_embedding()
    assert embedding is not None
    nurse = embedding.title(["nurse"])
    assert nurse is not None and embedding.title(["midwife"]) is not None
    near = float(nurse @ embedding.title(["midwife"]))  # type: ignore[operator]
    far = float(nurse @ embedding.title(["welder"]))  # type: ignore[operator]
    assert near > far
