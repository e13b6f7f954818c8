"""Rubric scoring throughput: twenty-turn chats per second with the default chat rubric.

Batched (every turn of a batch encoded in one call, example embeddings cached per rubric version)
against a baseline that encodes each turn on its own, in the same run.

    .venv/bin/python benchmarks/scoring.py [--chats 200] [--baseline-chats 10] [--int8]
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from scoring.conversation import Conversation, Speaker, Turn  # noqa: E402
from scoring.embedding import get_encoder  # noqa: E402
from scoring.rubric import default_rubric_for, evaluate, evaluate_many  # noqa: E402

STREETS = [
    "Maple Avenue",
    "Elm Street",
    "Harbor View Drive",
    "Cedar Lane",
    "Grand Avenue",
    "Willow Way",
    "Oak Street",
]
ISSUES = [
    "my bulky item pickup was missed",
    "there is a pothole that damaged my tire",
    "the traffic signal is stuck on red",
    "scooters are blocking the sidewalk",
    "I got a street sweeping ticket but the sweeper never came",
    "a car has been parked for three weeks",
    "my recycling cart was stolen",
]
AGENT = [
    "Thank you for contacting Public Works, my name is {name}. How can I help?",
    "I'm sorry to hear that, that sounds frustrating.",
    "Just to confirm, is this at {num} {street}?",
    "Can you hold on a moment while I check?",
    "Thanks for waiting. I found the route record for {street}.",
    "I've submitted a service request and a crew will be out within {days} business days.",
    "Your request number is SR-{num}{days}.",
    "Is there anything else I can help you with?",
    "You're welcome. Thank you for contacting Public Works, have a great day, goodbye!",
    "Let me look into the {street} schedule for you.",
]
CUSTOMER = [
    "Hi, {issue} on {street}.",
    "It's {num} {street}, near the corner.",
    "Yes, that's right.",
    "Sure, no problem.",
    "How long will that take?",
    "Okay, thanks. Will I get an email?",
    "No, that's all, thank you.",
    "It has been like this since {day}.",
    "I called last week about {issue}.",
    "Great, appreciate it.",
]
NAMES = ["Maria", "James", "Priya", "Lena", "Omar", "Dana"]
DAYS = ["Monday", "Tuesday", "last week", "the weekend"]


def make_chats(n: int, turns: int = 20, seed: int = 7) -> list[Conversation]:
    """Varied twenty-turn chats (slot-filled, so encodings are not repeated strings)."""
    rng = random.Random(seed)
    chats = []
    for _ in range(n):
        slots = {
            "name": rng.choice(NAMES),
            "street": rng.choice(STREETS),
            "num": rng.randint(100, 9999),
            "issue": rng.choice(ISSUES),
            "days": rng.randint(2, 9),
            "day": rng.choice(DAYS),
        }
        out = []
        for i in range(turns):
            speaker: Speaker = "agent" if i % 2 == 0 else "customer"
            pool = AGENT if speaker == "agent" else CUSTOMER
            template = pool[(i // 2) % len(pool)] if rng.random() < 0.7 else rng.choice(pool)
            out.append(
                Turn(speaker, template.format(**slots) + rng.choice(["", " ", " Thanks.", " Okay."]), i * 9.0)
            )
        chats.append(Conversation("chat", out))
    return chats


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chats", type=int, default=200)
    parser.add_argument("--baseline-chats", type=int, default=10)
    parser.add_argument("--batch", type=int, default=50, help="chats per evaluate_many call")
    parser.add_argument("--int8", action="store_true", help="int8-quantized encoder")
    parser.add_argument(
        "--threads",
        type=int,
        default=None,
        help="torch threads (1 is faster when other jobs share the cores)",
    )
    args = parser.parse_args()

    rubric = default_rubric_for("chat")
    if args.threads:
        import torch

        torch.set_num_threads(args.threads)
    encoder = get_encoder(quantize=args.int8)
    chats = make_chats(args.chats)
    # Warm-up: load the model and cache the rubric's example embeddings (once per rubric version).
    evaluate_many(make_chats(4, seed=1), rubric, encoder=encoder)

    t0 = time.perf_counter()
    batched = []
    for lo in range(0, len(chats), args.batch):
        batched.extend(evaluate_many(chats[lo : lo + args.batch], rubric, encoder=encoder))
    batched_s = time.perf_counter() - t0

    # Scoring alone, with the embeddings the pipeline would pass in (encoded once per turn).
    matrices = [encoder.encode([t.text for t in c.turns]) for c in chats]
    t0 = time.perf_counter()
    for c, m in zip(chats, matrices, strict=True):
        evaluate(c, rubric, encoder=encoder, turn_embeddings=m)
    scoring_only_s = time.perf_counter() - t0

    base = chats[: args.baseline_chats]
    t0 = time.perf_counter()
    for c in base:
        per_turn = np.vstack([encoder.encode([t.text]) for t in c.turns])
        evaluate(c, rubric, encoder=encoder, turn_embeddings=per_turn)
    baseline_s = time.perf_counter() - t0

    rate = len(chats) / batched_s
    base_rate = len(base) / baseline_s
    n_turns = sum(len(c.turns) for c in chats)
    import torch

    print(
        f"rubric {rubric.id} {rubric.version}, {len(rubric.spec.criteria())} criteria, encoder {encoder!r}, "
        f"torch threads {torch.get_num_threads()}"
    )
    print(
        f"batched (evaluate_many, {args.batch} chats per encode): {len(chats)} chats / {n_turns} turns "
        f"in {batched_s:.2f} s = {rate:.1f} chats/s"
    )
    print(
        f"baseline (one encode call per turn): {len(base)} chats in {baseline_s:.2f} s "
        f"= {base_rate:.1f} chats/s"
    )
    print(f"scoring only (precomputed turn embeddings): {len(chats) / scoring_only_s:.1f} chats/s")
    print(
        f"ratio batched / baseline: {rate / base_rate:.1f}x; target >= 20 chats/s: "
        f"{'met' if rate >= 20 else 'NOT met'}"
    )
    passed = sum(1 for e in batched if e.criterion("greeting").result == "pass")
    print(f"sanity: greeting passed in {passed}/{len(batched)} chats")


if __name__ == "__main__":
    main()
