"""Static word embeddings for the learned intent model: WordLlama's token vectors, mean-pooled.

TF-IDF n-grams only know the words the examples use, so "what's the price" and
"how much does it cost" share nothing. Static embeddings place such words near
each other, and pooling them gives a sentence vector that carries over to
wording no example has. The vectors are the ones the ``wordllama`` package
ships (``l2_supercat_256``: 32,000 tokens × 256 dimensions, float16, 16 MB) with
their tokenizer; a sentence costs one tokenisation and one mean over a few rows
(≈ 0.03 ms).

The files are read straight from the installed package, never downloaded:
``WordLlama.load()`` looks for its tokenizer in the wrong folder and then tries
Hugging Face, which a bot behind a firewall must never do. The ``wordllama``
package itself is not imported either (its inference module reconfigures the
root logger on import); only its data files are used. The weights are
memory-mapped, so loading costs a header read and only the rows of tokens in
use become resident.
"""

from __future__ import annotations

import importlib.util
import json
import re
import struct
from functools import cache
from pathlib import Path

import numpy as np
from tokenizers import Tokenizer

#: The installed package whose data files hold the vectors and the tokenizer.
PACKAGE = "wordllama"
WEIGHTS = "weights/l2_supercat_256.safetensors"
TOKENIZER = "tokenizers/l2_supercat_tokenizer_config.json"
TENSOR = "embedding.weight"

#: Entity placeholders ("{qualification}") say nothing about what is asked; they are left out.
_PLACEHOLDER = re.compile(r"\{\w+\}")
_DTYPES = {"F16": np.float16, "F32": np.float32}


class Embedder:
    """Unit-length mean of a text's token vectors; the zero vector for a text with no tokens."""

    def __init__(self, vectors: np.ndarray, tokenizer: Tokenizer, name: str) -> None:
        self.vectors = vectors
        self.tokenizer = tokenizer
        #: Identifies the vectors, so a model trained on other ones is not taken from the cache.
        self.name = name

    @property
    def dim(self) -> int:
        return int(self.vectors.shape[1])

    def embed(self, text: str) -> np.ndarray:
        words = _PLACEHOLDER.sub(" ", text).split()  # single spaces: a double one is a token of its own
        ids = self.tokenizer.encode(" ".join(words), add_special_tokens=False).ids if words else []
        if not ids:
            return np.zeros(self.dim)
        v = self.vectors[np.asarray(ids, dtype=np.intp)].astype(np.float64).mean(axis=0)
        norm = float(np.sqrt(v @ v))
        return v / norm if norm > 0.0 else v

    def embed_all(self, texts: list[str]) -> np.ndarray:
        return np.vstack([self.embed(t) for t in texts]) if texts else np.zeros((0, self.dim))


def package_dir() -> Path:
    """Where ``wordllama`` is installed, found without importing it."""
    spec = importlib.util.find_spec(PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise ModuleNotFoundError(f"the {PACKAGE!r} package (intent embeddings) is not installed")
    return Path(next(iter(spec.submodule_search_locations)))


def read_safetensor(path: Path, name: str) -> np.ndarray:
    """One tensor of a ``.safetensors`` file, memory-mapped read-only.

    The format is a little-endian u64 header length, a JSON header giving each
    tensor's dtype, shape and byte range, then the raw data."""
    with path.open("rb") as f:
        (size,) = struct.unpack("<Q", f.read(8))
        header = json.loads(f.read(size))
    info = header[name]
    dtype = np.dtype(_DTYPES[info["dtype"]]).newbyteorder("<")
    start, end = info["data_offsets"]
    shape = tuple(info["shape"])
    if end - start != dtype.itemsize * int(np.prod(shape)):
        raise ValueError(f"{path}: {name} has {end - start} bytes, not {shape} of {info['dtype']}")
    return np.memmap(path, dtype=dtype, mode="r", offset=8 + size + start, shape=shape)


@cache
def embedder() -> Embedder:
    """The shipped vectors and tokenizer, loaded once per process (offline, from the package's files)."""
    root = package_dir()
    vectors = read_safetensor(root / WEIGHTS, TENSOR)
    tokenizer = Tokenizer.from_file(str(root / TOKENIZER))
    return Embedder(vectors, tokenizer, f"{PACKAGE}:{Path(WEIGHTS).stem}:{vectors.shape[0]}x{vectors.shape[1]}")
