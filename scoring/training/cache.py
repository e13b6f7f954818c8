"""Embeddings of the training corpora cached on disk (outside the repo) so reruns skip the encoder."""

from __future__ import annotations

import hashlib
from pathlib import Path

import numpy as np

from scoring.embedding import TextEncoder
from scoring.training.data import Corpus

__all__ = ["cache_dir", "embed_corpus"]


def cache_dir() -> Path:
    """~/.cache/callcoach, the default folder for cached embeddings."""
    return Path.home() / ".cache" / "callcoach"


def embed_corpus(corpus: Corpus, encoder: TextEncoder, folder: Path | None = None) -> np.ndarray:
    """Embeddings of corpus.texts, cached in `folder` (default cache_dir()) by a hash of texts and encoder."""
    digest = hashlib.sha256()
    digest.update(f"{encoder.source}|{encoder.quantized}|{encoder.max_length}".encode())
    for text in corpus.texts:
        digest.update(text.encode("utf-8") + b"\0")
    path = (folder or cache_dir()) / f"emb-{digest.hexdigest()[:20]}.npy"
    if path.exists():
        return np.load(path)
    emb = encoder.encode(corpus.texts)
    path.parent.mkdir(parents=True, exist_ok=True)
    np.save(path, emb)
    return emb
