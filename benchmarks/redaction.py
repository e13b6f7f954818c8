"""Recall and precision of redaction per entity type, on the redaction samples and on PII-free samples.

- Calls (samples/redaction/calls): detection runs on the committed tiny.en transcripts of the rendered
  calls. Text: a label is found when an entity of its type overlaps the label's time span (0.3 s
  tolerance). Audio: the call is decoded, redacted with the detected spans, and a label counts as
  redacted when its speaker's channel is silent from 0.3 s after the label's start to 0.3 s before its
  end; a redacted span that overlaps no label is a false positive.
- Chats (samples/redaction/chats.json): a label is found when an entity of its type overlaps its
  characters in the same turn. The same for the held-out set (samples/redaction/heldout.json), written
  after the rules and not used to change them, and for the calls' exact script text.
- Negative set: every chat/e-mail transcript in samples/transcripts and the dialogue text of
  samples/calls/*.script.json. Detections that match samples/redaction/negative_known.json (personal data
  those dialogues do hold: residents' addresses, plates, phone numbers, names) are not counted; every
  other detection is a false positive.

- Real speech: card, SSN and phone numbers spoken digit by digit by six real speakers (FSDD clips from
  /work/shared/data/speech_dev), recognised with tiny.en; skipped when that folder is absent.

Run: .venv/bin/python benchmarks/redaction.py [-v] [--no-real]
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from qa.ingestion.transcripts import SpeakerLabels, read_transcript_file  # noqa: E402
from transcription import decode_channels  # noqa: E402
from transcription.audio import SAMPLE_RATE  # noqa: E402
from transcription.redaction import (  # noqa: E402
    ENTITY_TYPES,
    Entity,
    RedactionOptions,
    Turn,
    audio_spans,
    detect,
    redact_audio,
    turns_from_dict,
)

SAMPLES = ROOT / "samples" / "redaction"
TOLERANCE = 0.3
SILENT = 1e-4
CHANNEL_OF = {"agent": 0, "customer": 1}
TARGET_RECALL = {"CARD": 1.0, "SSN": 1.0, "PHONE": 1.0}
TARGET_OTHER_RECALL = 0.95
TARGET_PRECISION = 0.90


def overlaps(a0: float, a1: float, b0: float, b1: float) -> bool:
    return a0 < b1 and b0 < a1


class Tally:
    def __init__(self) -> None:
        self.found: Counter[str] = Counter()
        self.labels: Counter[str] = Counter()
        self.true: Counter[str] = Counter()
        self.detected: Counter[str] = Counter()

    def recall(self, kind: str) -> float | None:
        return self.found[kind] / self.labels[kind] if self.labels[kind] else None

    def precision(self, kind: str) -> float | None:
        return self.true[kind] / self.detected[kind] if self.detected[kind] else None


def evaluate_calls(options: RedactionOptions) -> tuple[Tally, Tally, list[str]]:
    text, audio = Tally(), Tally()
    misses: list[str] = []
    for labels_path in sorted((SAMPLES / "calls").glob("*.labels.json")):
        name = labels_path.name[: -len(".labels.json")]
        labels = json.loads(labels_path.read_text())["entities"]
        transcript = json.loads((SAMPLES / "calls" / f"{name}.transcript.json").read_text())
        turns = turns_from_dict(transcript)
        entities = [e for e in detect(turns, options) if e.start_time is not None]
        for label in labels:
            text.labels[label["type"]] += 1
            if any(
                e.type == label["type"]
                and overlaps(
                    e.start_time or 0, e.end_time or 0, label["start"] - TOLERANCE, label["end"] + TOLERANCE
                )
                for e in entities
            ):
                text.found[label["type"]] += 1
            else:
                misses.append(f"{name}: text {label['type']} '{label['text']}'")
        for e in entities:
            text.detected[e.type] += 1
            if any(
                label["type"] == e.type
                and overlaps(
                    e.start_time or 0, e.end_time or 0, label["start"] - TOLERANCE, label["end"] + TOLERANCE
                )
                for label in labels
            ):
                text.true[e.type] += 1
            else:
                misses.append(f"{name}: false {e.type} '{turns[e.turn].text[e.start : e.end]}'")
        spans = audio_spans(turns, entities)
        channels = decode_channels(SAMPLES / "calls" / transcript_audio(labels_path))
        redacted = redact_audio(channels, SAMPLE_RATE, spans, speaker_channels=CHANNEL_OF)
        for label in labels:
            audio.labels[label["type"]] += 1
            a = int((label["start"] + TOLERANCE) * SAMPLE_RATE)
            b = int((label["end"] - TOLERANCE) * SAMPLE_RATE)
            channel = redacted[CHANNEL_OF[label["speaker"]]]
            if b <= a or float(np.max(np.abs(channel[a:b]))) < SILENT:
                audio.found[label["type"]] += 1
            else:
                misses.append(f"{name}: audio {label['type']} '{label['text']}' not silent")
        for span in spans:
            for kind in span.types:
                audio.detected[kind] += 1
                if any(overlaps(span.start, span.end, lab["start"], lab["end"]) for lab in labels):
                    audio.true[kind] += 1
    return text, audio, misses


def evaluate_scripts(options: RedactionOptions) -> Tally:
    """The same calls on their exact dialogue text: what a recogniser without errors would give."""
    tally = Tally()
    for labels_path in sorted((SAMPLES / "calls").glob("*.labels.json")):
        data = json.loads(labels_path.read_text())
        turns = [Turn(t["text"], t["speaker"]) for t in data["turns"]]
        spans = []
        cursor: dict[int, int] = {}
        for label in data["entities"]:
            text = turns[label["turn"]].text
            at = text.find(label["text"], cursor.get(label["turn"], 0))
            cursor[label["turn"]] = at + len(label["text"])
            spans.append((label["type"], label["turn"], at, at + len(label["text"])))
        score_text_labels(tally, turns, detect(turns, options), spans, labels_path.name, [])
    return tally


def score_text_labels(
    tally: Tally,
    turns: list[Turn],
    entities: list[Entity],
    spans: list[tuple[str, int, int, int]],
    name: str,
    notes: list[str],
) -> None:
    """Count labels found (an entity of the type overlaps the label's characters) and true detections."""
    for kind, turn, a, b in spans:
        tally.labels[kind] += 1
        if any(e.type == kind and e.turn == turn and e.start < b and a < e.end for e in entities):
            tally.found[kind] += 1
        else:
            notes.append(f"{name}: missed {kind} '{turns[turn].text[a:b]}'")
    for e in entities:
        tally.detected[e.type] += 1
        if any(kind == e.type and turn == e.turn and e.start < b and a < e.end for kind, turn, a, b in spans):
            tally.true[e.type] += 1
        else:
            notes.append(f"{name}: false {e.type} '{turns[e.turn].text[e.start : e.end]}'")


def transcript_audio(labels_path: Path) -> str:
    return str(json.loads(labels_path.read_text())["audio_file"])


def evaluate_chats(options: RedactionOptions, file_name: str = "chats.json") -> tuple[Tally, list[str]]:
    data = json.loads((SAMPLES / file_name).read_text())
    options = RedactionOptions(types=options.types, public_addresses=tuple(data["public_addresses"]))
    tally = Tally()
    misses: list[str] = []
    for conv in data["conversations"]:
        turns = [Turn(t["text"], t["speaker"]) for t in conv["turns"]]
        entities = detect(turns, options)
        spans = []
        for label in conv["entities"]:
            at = turns[label["turn"]].text.find(label["text"])
            if at < 0:
                raise ValueError(
                    f"chats.json {conv['id']}: label '{label['text']}' not in turn {label['turn']}"
                )
            spans.append((label["type"], label["turn"], at, at + len(label["text"])))
        score_text_labels(tally, turns, entities, spans, conv["id"], misses)
    return tally, misses


def negative_conversations() -> list[tuple[str, list[Turn]]]:
    convs: list[tuple[str, list[Turn]]] = []
    folder = ROOT / "samples" / "transcripts"
    for path in sorted(folder.iterdir()):
        if path.suffix == ".json" and (folder / f"{path.stem}.txt").exists():
            continue  # a sidecar of the .txt transcript
        for conv in read_transcript_file(path, SpeakerLabels()):
            turns = [Turn(t.text, t.speaker) for t in conv.turns]
            convs.append((conv.metadata.external_id or path.stem, turns))
    for path in sorted((ROOT / "samples" / "calls").glob("*.script.json")):
        script = json.loads(path.read_text())
        meta = json.loads(path.with_name(path.name.replace(".script", "")).read_text())
        convs.append((meta["external_id"], [Turn(t["text"], t["speaker"]) for t in script["turns"]]))
    return convs


def evaluate_negatives(options: RedactionOptions) -> tuple[Counter[str], Counter[str], int, list[str]]:
    known_data = json.loads((SAMPLES / "negative_known.json").read_text())
    options = RedactionOptions(types=options.types, public_addresses=tuple(known_data["public_addresses"]))
    known = {(k["id"], k["type"], k["text"]) for k in known_data["known"]}
    false: Counter[str] = Counter()
    matched: Counter[str] = Counter()
    notes: list[str] = []
    convs = negative_conversations()
    for conv_id, turns in convs:
        for e in detect(turns, options):
            value = turns[e.turn].text[e.start : e.end]
            if (conv_id, e.type, value) in known:
                matched[e.type] += 1
            else:
                false[e.type] += 1
                notes.append(f"{conv_id}: false {e.type} '{value}' in: {turns[e.turn].text}")
    return false, matched, len(convs), notes


REAL_DIGITS = Path("/work/shared/data/speech_dev")
REAL_QUESTIONS = {
    "CARD": "Please read me the card number.",
    "SSN": "What is your social security number?",
    "PHONE": "What is a good callback number?",
}


def luhn_complete(digits: str) -> str:
    """`digits` plus the check digit that makes it pass Luhn."""
    for check in "0123456789":
        number = digits + check
        total = sum(
            (d * 2 - 9 if d * 2 > 9 else d * 2) if i % 2 else d
            for i, d in enumerate(map(int, reversed(number)))
        )
        if total % 10 == 0:
            return number
    raise AssertionError("unreachable")


def evaluate_real_digits(folder: Path) -> tuple[Tally, Tally, list[str]] | None:
    """Card, SSN and phone numbers read by six real speakers (FSDD digit recordings, 8 kHz, joined with
    0.15 s between digits and 0.5 s between groups), on the customer channel of a stereo call after the
    agent's question (text only); recognised with tiny.en, then detected and redacted."""
    import random
    import tempfile

    from transcription import transcribe_file
    from transcription.redaction import turns_from_transcript, write_audio

    clips = sorted((folder / "fsdd").glob("*_*_0.wav")) if folder.is_dir() else []
    if not clips:
        return None
    rng = random.Random(15)
    speakers = sorted({p.name.split("_")[1] for p in clips})
    text, audio = Tally(), Tally()
    notes: list[str] = []
    gap, group_gap = (
        np.zeros(int(0.15 * SAMPLE_RATE), np.float32),
        np.zeros(int(0.5 * SAMPLE_RATE), np.float32),
    )
    with tempfile.TemporaryDirectory() as tmp:
        for speaker in speakers:
            sound = {
                d: decode_channels(folder / "fsdd" / f"{d}_{speaker}_0.wav", min_duration=0.1)[0]
                for d in "0123456789"
            }
            numbers = {
                "CARD": luhn_complete(
                    rng.choice("3456") + "".join(rng.choice("0123456789") for _ in range(14))
                ),
                "SSN": rng.choice("12345678") + "".join(rng.choice("0123456789") for _ in range(8)),
                "PHONE": rng.choice("23456789") + "".join(rng.choice("0123456789") for _ in range(9)),
            }
            groups = {"CARD": (4, 4, 4, 4), "SSN": (3, 2, 4), "PHONE": (3, 3, 4)}
            for kind, number in numbers.items():
                pieces: list[np.ndarray] = [group_gap]
                at = 0
                for size in groups[kind]:
                    for d in number[at : at + size]:
                        pieces += [sound[d], gap]
                    pieces.append(group_gap)
                    at += size
                customer = np.concatenate(pieces)
                start, end = (
                    len(group_gap) / SAMPLE_RATE,
                    (len(customer) - len(group_gap) - len(gap)) / SAMPLE_RATE,
                )
                path = Path(tmp) / f"{speaker}_{kind}.wav"
                write_audio(path, [np.zeros_like(customer), customer], SAMPLE_RATE)
                transcript = transcribe_file(path)
                turns = [Turn(REAL_QUESTIONS[kind], "agent"), *turns_from_transcript(transcript)]
                entities = [e for e in detect(turns) if e.start_time is not None]
                heard = " / ".join(t.text for t in turns[1:])
                text.labels[kind] += 1
                audio.labels[kind] += 1
                if any(
                    e.type == kind and overlaps(e.start_time or 0, e.end_time or 0, start, end)
                    for e in entities
                ):
                    text.found[kind] += 1
                else:
                    notes.append(f"real {speaker}: missed {kind} {number}, heard '{heard}'")
                for e in entities:
                    text.detected[e.type] += 1
                    text.true[e.type] += e.type == kind
                redacted = redact_audio([customer], SAMPLE_RATE, audio_spans(turns, entities))[0]
                a, b = int((start + TOLERANCE) * SAMPLE_RATE), int((end - TOLERANCE) * SAMPLE_RATE)
                if float(np.max(np.abs(redacted[a:b]))) < SILENT:
                    audio.found[kind] += 1
                else:
                    notes.append(f"real {speaker}: {kind} audio not silent, heard '{heard}'")
    return text, audio, notes


def fmt(value: float | None) -> str:
    return "   -  " if value is None else f"{100 * value:5.1f}%"


def main(argv: list[str]) -> int:
    options = RedactionOptions()
    text, audio, call_notes = evaluate_calls(options)
    chats, chat_notes = evaluate_chats(options)
    false, matched, n_negative, negative_notes = evaluate_negatives(options)
    scripts = evaluate_scripts(options)
    held, held_notes = evaluate_chats(options, "heldout.json")
    print("Redaction on the samples. calls: tiny.en transcripts of espeak-ng audio (text, audio);")
    print(
        "script: the same calls' exact dialogue (no recognition errors); chats: typed; held: held-out set;"
        " neg FP: negative set"
    )
    print(
        f"{'type':8} {'calls text R':>13} {'P':>7} {'audio R':>8} {'P':>7} {'script R':>9} {'P':>7}"
        f" {'chats R':>8} {'P':>7} {'held R':>7} {'P':>7} {'labels c/ch/h':>13} {'neg FP':>6}"
    )
    ok = True
    for kind in ENTITY_TYPES:
        print(
            f"{kind:8} {fmt(text.recall(kind)):>13} {fmt(text.precision(kind)):>7}"
            f" {fmt(audio.recall(kind)):>8} {fmt(audio.precision(kind)):>7}"
            f" {fmt(scripts.recall(kind)):>9} {fmt(scripts.precision(kind)):>7}"
            f" {fmt(chats.recall(kind)):>8} {fmt(chats.precision(kind)):>7}"
            f" {fmt(held.recall(kind)):>7} {fmt(held.precision(kind)):>7}"
            f" {text.labels[kind]:>5}/{chats.labels[kind]}/{held.labels[kind]:<4} {false[kind]:>6}"
        )
        need = TARGET_RECALL.get(kind, TARGET_OTHER_RECALL)
        for value in (text.recall(kind), audio.recall(kind), chats.recall(kind), held.recall(kind)):
            ok &= value is None or value >= need
        for value in (
            text.precision(kind),
            audio.precision(kind),
            chats.precision(kind),
            held.precision(kind),
        ):
            ok &= value is None or value >= TARGET_PRECISION
    real = None if "--no-real" in argv else evaluate_real_digits(REAL_DIGITS)
    real_notes: list[str] = []
    if real is None:
        print(f"real speech: skipped ({REAL_DIGITS / 'fsdd'} not found or --no-real)")
    else:
        real_text, real_audio, real_notes = real
        print("real speech (FSDD digits by 6 speakers, tiny.en):")
        for kind in ("CARD", "SSN", "PHONE"):
            print(
                f"  {kind:6} text recall {fmt(real_text.recall(kind))}"
                f" precision {fmt(real_text.precision(kind))}  audio recall {fmt(real_audio.recall(kind))}"
            )
    total = sum(false.values())
    print(
        f"negative set: {n_negative} conversations, {total} false positives, "
        f"{sum(matched.values())} detections of personal data the samples do hold"
    )
    print("targets (recall 100% card/SSN/phone, 95% others, precision 90%):", "met" if ok else "NOT met")
    if "-v" in argv:
        for line in call_notes + chat_notes + held_notes + real_notes + negative_notes:
            print("  " + line)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
