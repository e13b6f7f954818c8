"""Render the sample call scripts in samples/scripts/calls/ to telephone-quality stereo audio.

REQUIRES the Debian packages espeak-ng, sox and ffmpeg (MP3/OGG output):

    apt-get update && apt-get install -y espeak-ng sox ffmpeg

Python: standard library plus PyYAML (present in the project venv). Run from the repo root:

    .venv/bin/python samples/render.py            # render every call
    .venv/bin/python samples/render.py call_03    # only scripts whose name starts with call_03

For every script `samples/scripts/calls/<name>.yaml` this writes to samples/calls/:
  <name>.<flac|mp3|ogg|wav>  stereo, 8 kHz, 16-bit; agent on the LEFT channel, customer on the RIGHT
  <name>.script.json         exact speech timing per turn: {"turns": [{"speaker","start","end","text"}]}
  <name>.json                interaction metadata (handle_seconds is the rendered duration)
and rewrites samples/calls/manifest.csv for all calls.

Timing: each turn is synthesised on its own, band-limited to 300-3400 Hz, resampled to 8 kHz and trimmed of
leading/trailing silence, so `start`/`end` are the first/last audible sample of that turn in the output file
(lossy MP3/OGG decoding may shift it by a few milliseconds). A turn starts `gap` seconds (default 0.5)
after the latest end so far; `overlap: X` starts it X seconds before the previous turn ends instead
(interruption); `pause: X` and `hold: X` items insert X seconds of silence on both channels.

The render is deterministic: no noise or dither is added, sox runs in repeatable mode, encoders are bit-exact.
"""

from __future__ import annotations

import csv
import json
import shutil
import subprocess
import sys
import tempfile
import wave
from array import array
from dataclasses import dataclass
from pathlib import Path

import yaml

SAMPLE_RATE = 8000
SAMPLES_DIR = Path(__file__).resolve().parent
SCRIPTS_DIR = SAMPLES_DIR / "scripts" / "calls"
CALLS_DIR = SAMPLES_DIR / "calls"
DEFAULT_GAP = 0.5
# Peak below this (int16) counts as silence when trimming espeak's lead-in and tail.
TRIM_THRESHOLD = 300
MANIFEST_COLUMNS = [
    "file",
    "external_id",
    "agent",
    "started_at",
    "queue",
    "wait_seconds",
    "handle_seconds",
    "disposition",
    "csat",
    "customer_ref",
]
CHANNEL = {"agent": 0, "customer": 1}
AUDIO_SUFFIXES = {".flac", ".mp3", ".ogg", ".wav"}


class MissingTool(RuntimeError):
    """A required command-line tool is not installed."""


@dataclass(frozen=True)
class Voice:
    voice: str
    pitch: int = 50
    speed: int = 160
    gain_db: float = -3.0


@dataclass(frozen=True)
class PlacedTurn:
    speaker: str
    start: float
    end: float
    text: str


def require_tools(*names: str) -> None:
    missing = [name for name in names if shutil.which(name) is None]
    if missing:
        raise MissingTool(
            f"missing {', '.join(missing)}; install with: "
            "apt-get update && apt-get install -y espeak-ng sox ffmpeg"
        )


def run(cmd: list[str]) -> None:
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def synthesise(text: str, voice: Voice, workdir: Path) -> array:
    """Speak `text` and return trimmed 8 kHz mono int16 samples with a telephone band limit."""
    raw_wav = workdir / "tts.wav"
    pcm = workdir / "tts.raw"
    run(
        [
            "espeak-ng",
            "-v",
            voice.voice,
            "-p",
            str(voice.pitch),
            "-s",
            str(voice.speed),
            "-w",
            str(raw_wav),
            text,
        ]
    )
    run(
        [
            "sox",
            "-R",
            "-D",
            str(raw_wav),
            "-t",
            "raw",
            "-e",
            "signed-integer",
            "-b",
            "16",
            "-c",
            "1",
            "-r",
            str(SAMPLE_RATE),
            "-L",
            str(pcm),
            "highpass",
            "300",
            "lowpass",
            "3400",
            "rate",
            "-h",
            str(SAMPLE_RATE),
            "norm",
            str(voice.gain_db),
        ]
    )
    samples = array("h")
    samples.frombytes(pcm.read_bytes())
    if sys.byteorder == "big":
        samples.byteswap()
    loud = [i for i, value in enumerate(samples) if abs(value) >= TRIM_THRESHOLD]
    if not loud:
        raise ValueError(f"espeak produced silence for {text!r}")
    return samples[loud[0] : loud[-1] + 1]


def place_turns(script: dict, workdir: Path) -> tuple[list[PlacedTurn], list[tuple[int, array]]]:
    """Lay the script's items on a timeline; return timed turns and (start_sample, samples) per turn."""
    voices = {speaker: Voice(**cfg) for speaker, cfg in script["voices"].items()}
    cursor = float(script.get("lead_in", 0.4))
    last_end = cursor
    placed: list[PlacedTurn] = []
    clips: list[tuple[int, array]] = []
    for item in script["turns"]:
        if "pause" in item or "hold" in item:
            cursor = last_end + float(item.get("pause", item.get("hold")))
            last_end = cursor
            continue
        (speaker,) = [key for key in item if key in CHANNEL]
        text = " ".join(str(item[speaker]).split())
        samples = synthesise(text, voices[speaker], workdir)
        if "overlap" in item and placed:
            start = placed[-1].end - float(item["overlap"])
        else:
            start = cursor + float(item.get("gap", DEFAULT_GAP)) if placed else cursor
        start_index = round(start * SAMPLE_RATE)
        start = start_index / SAMPLE_RATE
        end = (start_index + len(samples)) / SAMPLE_RATE
        placed.append(PlacedTurn(speaker, round(start, 6), round(end, 6), text))
        clips.append((start_index, samples))
        last_end = max(last_end, end)
        cursor = last_end
    return placed, clips


def mix_stereo(placed: list[PlacedTurn], clips: list[tuple[int, array]], tail: float) -> array:
    """Interleave agent (left) and customer (right) into one int16 stereo buffer."""
    total = max(index + len(samples) for index, samples in clips) + round(tail * SAMPLE_RATE)
    channels = [array("h", bytes(2 * total)), array("h", bytes(2 * total))]
    for turn, (index, samples) in zip(placed, clips, strict=True):
        channels[CHANNEL[turn.speaker]][index : index + len(samples)] = samples
    stereo = array("h", bytes(4 * total))
    stereo[0::2] = channels[0]
    stereo[1::2] = channels[1]
    return stereo


def write_audio(stereo: array, target: Path, workdir: Path) -> None:
    wav_path = workdir / "mix.wav"
    with wave.open(str(wav_path), "wb") as out:
        out.setnchannels(2)
        out.setsampwidth(2)
        out.setframerate(SAMPLE_RATE)
        data = array("h", stereo)
        if sys.byteorder == "big":
            data.byteswap()
        out.writeframes(data.tobytes())
    suffix = target.suffix
    if suffix == ".wav":
        shutil.copyfile(wav_path, target)
    elif suffix == ".flac":
        run(["sox", "-R", "-D", str(wav_path), "-C", "8", str(target)])
    elif suffix in (".mp3", ".ogg"):
        codec = (
            ["-c:a", "libmp3lame", "-b:a", "32k"] if suffix == ".mp3" else ["-c:a", "libvorbis", "-q:a", "2"]
        )
        run(
            [
                "ffmpeg",
                "-nostdin",
                "-loglevel",
                "error",
                "-y",
                "-i",
                str(wav_path),
                "-map_metadata",
                "-1",
                "-fflags",
                "+bitexact",
                "-flags:a",
                "+bitexact",
                *codec,
                "-ar",
                str(SAMPLE_RATE),
                "-ac",
                "2",
                str(target),
            ]
        )
    else:
        raise ValueError(f"unsupported output format {suffix}")


def render(script_path: Path) -> dict:
    """Render one call script; return its manifest row."""
    script = yaml.safe_load(script_path.read_text(encoding="utf-8"))
    name = script_path.stem
    target = CALLS_DIR / f"{name}.{script.get('format', 'flac')}"
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        placed, clips = place_turns(script, workdir)
        stereo = mix_stereo(placed, clips, float(script.get("tail", 0.6)))
        write_audio(stereo, target, workdir)
    duration = len(stereo) / 2 / SAMPLE_RATE
    timing = {
        "audio_file": target.name,
        "sample_rate": SAMPLE_RATE,
        "channels": {"left": "agent", "right": "customer"},
        "duration": round(duration, 6),
        "turns": [turn.__dict__ for turn in placed],
    }
    (CALLS_DIR / f"{name}.script.json").write_text(json.dumps(timing, indent=2) + "\n", encoding="utf-8")
    meta = script["metadata"]
    # Flat keys: the shape `callcoach ingest` reads from a recording's sidecar.
    metadata = {
        "external_id": script["external_id"],
        "channel": "call",
        "agent": meta["agent"],
        "team": agent_teams().get(meta["agent"]),
        "started_at": meta["started_at"],
        "queue": meta["queue"],
        "wait_seconds": meta["wait_seconds"],
        "handle_seconds": round(duration),
        "disposition": meta["disposition"],
        "csat": meta.get("csat"),
        "customer_ref": meta["customer_ref"],
    }
    (CALLS_DIR / f"{name}.json").write_text(json.dumps(metadata, indent=2) + "\n", encoding="utf-8")
    print(f"{target.name}: {duration:.1f} s, {target.stat().st_size / 1024:.0f} KiB, {len(placed)} turns")
    return manifest_row(target.name, metadata)


def agent_teams() -> dict[str, str]:
    """Agent username -> team, from samples/agents.json."""
    agents = json.loads((SAMPLES_DIR / "agents.json").read_text(encoding="utf-8"))
    return {agent["username"]: agent["team"] for agent in agents}


def manifest_row(file_name: str, metadata: dict) -> dict:
    row = {column: metadata.get(column) for column in MANIFEST_COLUMNS}
    row["file"] = file_name
    return {key: "" if value is None else value for key, value in row.items()}


def rewrite_manifest() -> None:
    """Rebuild manifest.csv from the metadata sidecars of every rendered call."""
    rows = []
    for meta_path in sorted(CALLS_DIR.glob("*.json")):
        if meta_path.name.endswith(".script.json"):
            continue
        (audio,) = [p for p in CALLS_DIR.glob(f"{meta_path.stem}.*") if p.suffix in AUDIO_SUFFIXES]
        rows.append(manifest_row(audio.name, json.loads(meta_path.read_text(encoding="utf-8"))))
    with (CALLS_DIR / "manifest.csv").open("w", newline="", encoding="utf-8") as out:
        writer = csv.DictWriter(out, fieldnames=MANIFEST_COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def main(argv: list[str]) -> int:
    try:
        require_tools("espeak-ng", "sox", "ffmpeg")
    except MissingTool as exc:
        print(f"render.py: {exc}", file=sys.stderr)
        return 2
    CALLS_DIR.mkdir(parents=True, exist_ok=True)
    prefixes = argv or [""]
    scripts = [p for p in sorted(SCRIPTS_DIR.glob("*.yaml")) if any(p.stem.startswith(x) for x in prefixes)]
    if not scripts:
        print("render.py: no call scripts matched", file=sys.stderr)
        return 1
    total = 0.0
    for script_path in scripts:
        row = render(script_path)
        total += float(row["handle_seconds"])
    rewrite_manifest()
    print(f"rendered {len(scripts)} calls, about {total:.0f} s of audio")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
