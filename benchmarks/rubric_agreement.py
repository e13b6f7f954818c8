"""Agreement of the shipped rubrics with the hand labels in samples/labels.json, per criterion.

Chats and emails are read with the lead's transcript reader (qa.ingestion) when it is importable, else a
small local JSON reader. Calls are scored from their reference scripts (samples/calls/*.script.json),
lowercased and stripped of punctuation like faster-whisper tiny.en output (--keep-punctuation to skip),
with metrics from transcription.compute_metrics when available; --asr transcribes the audio instead.
--recognised scores the calls as tiny.en heard them (the cache benchmarks/topics.py keeps), words under
--unclear-below marked unclear, and counts how many answers, and how many disagreements, need review.

    .venv/bin/python benchmarks/rubric_agreement.py [--details] [--recognised]
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from scoring.conversation import Conversation, Turn  # noqa: E402
from scoring.rubric import Evaluation, evaluate_many, load_rubric  # noqa: E402

SAMPLES = ROOT / "samples"


@dataclass
class Agreement:
    scored: int
    missing: list[str]
    per_criterion: dict[str, list[int]] = field(default_factory=dict)  # id -> [agree, n]
    disagreements: list[str] = field(default_factory=list)

    @property
    def total(self) -> tuple[int, int]:
        return sum(a for a, _ in self.per_criterion.values()), sum(n for _, n in self.per_criterion.values())


def whisper_style(text: str) -> str:
    """Roughly what tiny.en gives for clean speech: lowercase, no punctuation."""
    return re.sub(r"\s+", " ", re.sub(r"[^\w\s']", " ", text.lower())).strip()


def read_transcripts(folder: Path) -> dict[str, Conversation]:
    try:
        from qa.ingestion.transcripts import SpeakerLabels, read_transcript_file
    except ImportError:
        return _read_json_only(folder)
    out: dict[str, Conversation] = {}
    for path in sorted(folder.iterdir()):
        if path.suffix == ".json" and path.with_suffix(".txt").exists():
            continue  # metadata sidecar of a .txt transcript
        if path.suffix not in {".json", ".jsonl", ".csv", ".txt"}:
            continue
        for parsed in read_transcript_file(path, SpeakerLabels()):
            meta = parsed.metadata
            turns = [Turn(t.speaker, t.text, t.start, t.end) for t in parsed.turns]  # type: ignore[arg-type]
            channel = meta.channel or "chat"
            out[str(meta.external_id)] = Conversation(channel, turns, queue=meta.queue)  # type: ignore[arg-type]
    return out


def _read_json_only(folder: Path) -> dict[str, Conversation]:
    out: dict[str, Conversation] = {}
    for path in sorted(folder.glob("*.json*")):
        lines = path.read_text().splitlines() if path.suffix == ".jsonl" else [path.read_text()]
        for line in filter(str.strip, lines):
            data = json.loads(line)
            for obj in data if isinstance(data, list) else [data]:
                if "turns" not in obj:
                    continue
                turns = [Turn(t["speaker"], t["text"], t.get("start", t.get("offset"))) for t in obj["turns"]]
                queue = (obj.get("metadata") or {}).get("queue")
                out[obj["external_id"]] = Conversation(obj.get("channel", "chat"), turns, queue=queue)
    return out


def read_calls(folder: Path, keep_punctuation: bool) -> dict[str, Conversation]:
    out: dict[str, Conversation] = {}
    for script_path in sorted(folder.glob("*.script.json")):
        script = json.loads(script_path.read_text())
        meta = json.loads(
            script_path.with_name(script_path.name.replace(".script.json", ".json")).read_text()
        )
        turns = [
            Turn(
                t["speaker"],
                t["text"] if keep_punctuation else whisper_style(t["text"]),
                t["start"],
                t["end"],
            )
            for t in script["turns"]
        ]
        out[meta["external_id"]] = Conversation(
            "call", turns, metrics=_metrics(script), queue=meta.get("queue")
        )
    return out


def transcribe_calls(folder: Path) -> dict[str, Conversation]:
    """Calls through the real transcription pipeline (faster-whisper tiny.en): turns and metrics."""
    from transcription import Transcriber

    transcriber = Transcriber()
    out: dict[str, Conversation] = {}
    for meta_path in sorted(folder.glob("*.json")):
        if meta_path.name.endswith(".script.json"):
            continue
        meta = json.loads(meta_path.read_text())
        audio = [
            p for p in folder.glob(meta_path.stem + ".*") if p.suffix in {".flac", ".mp3", ".ogg", ".wav"}
        ]
        if not audio:
            continue
        transcript = transcriber.transcribe(audio[0])
        turns = [Turn(t.speaker, t.text, t.start, t.end) for t in transcript.turns]
        out[meta["external_id"]] = Conversation(
            "call", turns, metrics=dict(transcript.metrics), queue=meta.get("queue")
        )
    return out


def _metrics(script: dict[str, Any]) -> dict[str, float]:
    """Metrics from the script's turn timing (words spread evenly over each turn)."""
    try:
        from transcription.metrics import compute_metrics
        from transcription.transcript import Word
    except ImportError:
        return {}
    words = []
    for t in script["turns"]:
        tokens = t["text"].split() or ["."]
        step = (t["end"] - t["start"]) / len(tokens)
        for i, tok in enumerate(tokens):
            words.append(Word(tok, t["start"] + i * step, t["start"] + (i + 1) * step, speaker=t["speaker"]))
    return compute_metrics(words, float(script["duration"]))


def agreement(conversations: dict[str, Conversation], labels: dict[str, Any]) -> Agreement:
    """Score the labelled conversations with the shipped rubrics and compare per criterion."""
    rubrics = {
        "call": load_rubric(ROOT / "rubrics" / "public_works_call.yaml"),
        "text": load_rubric(ROOT / "rubrics" / "public_works_chat.yaml"),
    }
    results: dict[str, Evaluation] = {}
    for key, rubric in rubrics.items():
        ids = [
            i for i, c in conversations.items() if (c.channel == "call") == (key == "call") and i in labels
        ]
        for ext_id, ev in zip(ids, evaluate_many([conversations[i] for i in ids], rubric), strict=True):
            results[ext_id] = ev
    report = Agreement(scored=len(results), missing=sorted(set(labels) - set(results)))
    for ext_id, label in sorted(labels.items()):
        if ext_id not in results:
            continue
        for cid, expected in label["criteria"].items():
            got = results[ext_id].criterion(cid)
            counts = report.per_criterion.setdefault(cid, [0, 0])
            counts[1] += 1
            if got.result == expected:
                counts[0] += 1
            else:
                where = got.evidence[0].text if got.evidence else got.note
                report.disagreements.append(
                    f"  {ext_id:<10} {cid:<20} label={expected:<5} got={got.result:<5} {where[:70]!r}"
                )
    return report


def recognised_calls(unclear_below: float) -> dict[str, Conversation]:
    """The cached tiny.en transcripts of the calls, with the scripts' metrics and the calls' queues."""
    from topics import RECOGNISED, load_recognised

    heard = load_recognised(RECOGNISED, unclear_below)
    reference = read_calls(SAMPLES / "calls", keep_punctuation=True)
    return {
        eid: Conversation("call", turns, metrics=reference[eid].metrics, queue=reference[eid].queue)
        for eid, turns in heard.items()
    }


def review_counts(
    conversations: dict[str, Conversation], labels: dict[str, Any]
) -> tuple[int, int, int, int]:
    """(answers, answers needing review, disagreements with the labels, disagreements needing review)."""
    rubric = load_rubric(ROOT / "rubrics" / "public_works_call.yaml")
    ids = [i for i in conversations if i in labels]
    answers = flagged = wrong = wrong_flagged = 0
    for ext_id, ev in zip(ids, evaluate_many([conversations[i] for i in ids], rubric), strict=True):
        for cid, expected in labels[ext_id]["criteria"].items():
            got = ev.criterion(cid)
            answers += 1
            flagged += got.needs_review
            if got.result != expected:
                wrong += 1
                wrong_flagged += got.needs_review
    return answers, flagged, wrong, wrong_flagged


def load_samples(*, asr: bool = False, keep_punctuation: bool = False) -> dict[str, Conversation]:
    conversations = read_transcripts(SAMPLES / "transcripts")
    if asr:
        conversations.update(transcribe_calls(SAMPLES / "calls"))
    else:
        conversations.update(read_calls(SAMPLES / "calls", keep_punctuation))
    return conversations


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--details", action="store_true", help="list every disagreement")
    parser.add_argument("--keep-punctuation", action="store_true", help="score call scripts as written")
    parser.add_argument(
        "--asr", action="store_true", help="transcribe the call audio (tiny.en) instead of scripts"
    )
    parser.add_argument("--recognised", action="store_true", help="calls as tiny.en heard them (cached)")
    parser.add_argument(
        "--unclear-below", type=float, default=0.5, help="word probability counted as unclear"
    )
    args = parser.parse_args()

    labels: dict[str, Any] = json.loads((SAMPLES / "labels.json").read_text())
    conversations = load_samples(asr=args.asr, keep_punctuation=args.keep_punctuation)
    if args.recognised:
        calls = recognised_calls(args.unclear_below)
        conversations.update(calls)
        answers, flagged, wrong, wrong_flagged = review_counts(calls, labels)
        print(
            f"recognised calls: {flagged}/{answers} answers need review; {wrong_flagged}/{wrong} of the "
            f"answers that disagree with the labels are among them (unclear: p < {args.unclear_below})"
        )
    report = agreement(conversations, labels)
    print(f"rubric agreement with samples/labels.json: {report.scored} interactions scored", end="")
    print(
        f" ({len(report.missing)} labelled but not found: {', '.join(report.missing)})"
        if report.missing
        else ""
    )
    print(f"{'criterion':<22}{'agree':>7}{'n':>5}{'rate':>8}")
    for cid, (ok, n) in report.per_criterion.items():
        print(f"{cid:<22}{ok:>7}{n:>5}{ok / n:>8.1%}")
    ok, n = report.total
    print(f"{'all':<22}{ok:>7}{n:>5}{ok / max(n, 1):>8.1%}")
    if args.details and report.disagreements:
        print("disagreements:")
        print("\n".join(report.disagreements))


if __name__ == "__main__":
    main()
