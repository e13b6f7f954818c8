"""The shared sentence encoder: shape, normalisation, order and padding independence."""

from __future__ import annotations

import numpy as np
import pytest

from scoring.embedding import EMBEDDING_DIM, TextEncoder, get_encoder


@pytest.fixture(scope="session")
def encoder() -> TextEncoder:
    return get_encoder()


def test_shape_dtype_and_unit_norm(encoder: TextEncoder) -> None:
    vecs = encoder.encode(["My trash was not picked up.", "Thanks, that's great!", ""])
    assert vecs.shape == (3, EMBEDDING_DIM)
    assert vecs.dtype == np.float32
    assert np.allclose(np.linalg.norm(vecs, axis=1), 1.0, atol=1e-4)


def test_empty_input(encoder: TextEncoder) -> None:
    assert encoder.encode([]).shape == (0, EMBEDDING_DIM)


def test_batching_and_sorting_keep_input_order(encoder: TextEncoder) -> None:
    texts = [
        "A pothole on Elm Street damaged my tire and I would like to file a claim please.",
        "Hi",
        "When is bulk item pickup?",
    ]
    together = encoder.encode(texts)
    alone = np.vstack([encoder.encode([t]) for t in texts])
    assert np.allclose(together, alone, atol=1e-4)


def test_similar_sentences_are_closer(encoder: TextEncoder) -> None:
    a, b, c = encoder.encode(
        [
            "My garbage bin was not emptied today",
            "The trash truck skipped my house",
            "I got a parking ticket",
        ]
    )
    assert float(a @ b) > float(a @ c)


def test_get_encoder_is_cached() -> None:
    assert get_encoder() is get_encoder()
