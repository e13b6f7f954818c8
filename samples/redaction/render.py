"""Render the redaction sample calls, label where each entity is spoken, and transcribe them once.

REQUIRES espeak-ng, sox and ffmpeg (as samples/render.py), and for `--transcribe` the project venv.
Run from the repo root:

    .venv/bin/python samples/redaction/render.py               # render audio and labels
    .venv/bin/python samples/redaction/render.py --transcribe  # also write <name>.transcript.json

Scripts are samples/redaction/scripts/*.yaml in the syntax of samples/scripts/calls/ (agent on the left,
customer on the right, 8 kHz), with entities marked inline: "My name is {NAME|Rosa Delgado}."
Every marked entity and every stretch of text between entities is synthesised on its own and placed
PIECE_GAP seconds after the previous piece, so each entity's first and last audible sample is known
exactly; `<name>.labels.json` records them: {"type", "turn", "speaker", "text", "start", "end"}.
"""

from __future__ import annotations

import json
import re
import sys
import tempfile
from array import array
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
import render as calls  # noqa: E402  (samples/render.py: espeak synthesis, stereo mix, encoders)

SCRIPTS = HERE / "scripts"
OUT = HERE / "calls"
PIECE_GAP = 0.12
RATE = 16000  # wide-band, still telephone-filtered: tiny.en hears 8 kHz espeak too poorly to measure anything
MARK = re.compile(r"\{([A-Z]+)\|([^}]*)\}")


def pieces(text: str) -> list[tuple[str, str | None]]:
    """(text, entity type or None) pieces of a marked-up turn, in order."""
    out: list[tuple[str, str | None]] = []
    cursor = 0
    for m in MARK.finditer(text):
        out.append((text[cursor : m.start()], None))
        out.append((m.group(2), m.group(1)))
        cursor = m.end()
    out.append((text[cursor:], None))
    return [(t.strip(" ,"), kind) for t, kind in out if t.strip(" ,.?!")]


def render(script_path: Path, workdir: Path) -> dict:
    script = yaml.safe_load(script_path.read_text(encoding="utf-8"))
    voices = {speaker: calls.Voice(**cfg) for speaker, cfg in script["voices"].items()}
    rate = calls.SAMPLE_RATE = RATE  # samples/render.py reads its module-level rate at call time
    cursor = 0.4
    placed: list[calls.PlacedTurn] = []
    clips: list[tuple[int, array]] = []
    labels: list[dict] = []
    for index, item in enumerate(script["turns"]):
        (speaker,) = [key for key in item if key in calls.CHANNEL]
        start_index = round((cursor + (calls.DEFAULT_GAP if placed else 0.0)) * rate)
        turn_audio = array("h")
        for text, kind in pieces(str(item[speaker])):
            if turn_audio:
                turn_audio.extend(array("h", bytes(2 * round(PIECE_GAP * rate))))
            at = start_index + len(turn_audio)
            samples = calls.synthesise(text, voices[speaker], workdir)
            turn_audio.extend(samples)
            if kind is not None:
                labels.append(
                    {
                        "type": kind,
                        "turn": index,
                        "speaker": speaker,
                        "text": text,
                        "start": round(at / rate, 4),
                        "end": round((at + len(samples)) / rate, 4),
                    }
                )
        plain = MARK.sub(lambda m: m.group(2), " ".join(str(item[speaker]).split()))
        start = start_index / rate
        end = (start_index + len(turn_audio)) / rate
        placed.append(calls.PlacedTurn(speaker, round(start, 6), round(end, 6), plain))
        clips.append((start_index, turn_audio))
        cursor = end
    stereo = calls.mix_stereo(placed, clips, 0.6)
    target = OUT / f"{script_path.stem}.ogg"
    calls.write_audio(stereo, target, workdir)
    return {
        "audio_file": target.name,
        "external_id": script["external_id"],
        "sample_rate": rate,
        "channels": {"left": "agent", "right": "customer"},
        "duration": round(len(stereo) / 2 / rate, 6),
        "turns": [t.__dict__ for t in placed],
        "entities": labels,
    }


def main(argv: list[str]) -> int:
    transcribe = "--transcribe" in argv
    try:
        calls.require_tools("espeak-ng", "sox", "ffmpeg")
    except calls.MissingTool as exc:
        print(f"render.py: {exc}", file=sys.stderr)
        return 2
    OUT.mkdir(parents=True, exist_ok=True)
    for script_path in sorted(SCRIPTS.glob("*.yaml")):
        with tempfile.TemporaryDirectory() as tmp:
            labels = render(script_path, Path(tmp))
        name = script_path.stem
        (OUT / f"{name}.labels.json").write_text(json.dumps(labels, indent=2) + "\n", encoding="utf-8")
        print(f"{labels['audio_file']}: {labels['duration']:.1f} s, {len(labels['entities'])} entities")
        if transcribe:
            sys.path.insert(0, str(HERE.parent.parent))
            from transcription import transcribe_file

            transcript = transcribe_file(OUT / labels["audio_file"])
            data = transcript.to_dict(with_words=True)
            (OUT / f"{name}.transcript.json").write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
