"""A trained speaker-embedding model (voice encoder) that runs offline on CPU.

The default weights are the pretrained GE2E voice encoder that the `resemblyzer` wheel ships
(`resemblyzer/pretrained.pt`: a 3-layer LSTM over 40 mel bands, 256-d embeddings). Only the weights
file is used: resemblyzer's own code imports modules that recent setuptools and scipy removed, so
the network and its mel front-end are rebuilt here (same layout, same numbers as librosa's
`melspectrogram`). Any checkpoint of the same layout can be named instead: a `.pt` file holding
`{"model_state": state_dict}` or a folder holding `pretrained.pt`.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt
import torch
from torch import nn

from transcription.audio import SAMPLE_RATE, FloatArray
from transcription.errors import ModelUnavailable

MEL_BANDS = 40
HIDDEN_SIZE = 256
EMBEDDING_SIZE = 256
LAYERS = 3
_N_FFT = 400  # 25 ms
HOP = 160  # 10 ms, one mel frame
TARGET_DBFS = -30.0  # the level the encoder was trained at
WEIGHTS_FILE = "pretrained.pt"


class VoiceEncoderNet(nn.Module):
    """GE2E speaker encoder: LSTM over mel frames, last hidden state -> ReLU(linear) -> unit length."""

    def __init__(self, layers: int = LAYERS, hidden: int = HIDDEN_SIZE, size: int = EMBEDDING_SIZE) -> None:
        super().__init__()
        self.lstm = nn.LSTM(MEL_BANDS, hidden, layers, batch_first=True)
        self.linear = nn.Linear(hidden, size)
        self.relu = nn.ReLU()

    def forward(self, mels: torch.Tensor | nn.utils.rnn.PackedSequence) -> torch.Tensor:
        _, (hidden, _) = self.lstm(mels)
        raw = self.relu(self.linear(hidden[-1]))
        return raw / (torch.norm(raw, dim=1, keepdim=True) + 1e-9)


def embedded_encoder_path() -> Path:
    """The voice-encoder weights shipped inside the resemblyzer wheel (found without importing it)."""
    spec = importlib.util.find_spec("resemblyzer")
    if spec is None or not spec.submodule_search_locations:
        raise ModelUnavailable("speaker encoder: the 'resemblyzer' package is not installed")
    return Path(next(iter(spec.submodule_search_locations))) / WEIGHTS_FILE


def _mel_filters() -> npt.NDArray[np.float32]:
    """Slaney-style mel filter bank, as librosa.filters.mel(sr=16000, n_fft=400, n_mels=40)."""

    def hz_to_mel(f: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
        linear = f / (200.0 / 3)
        log = 15.0 + np.log(np.maximum(f, 1e-10) / 1000.0) / (np.log(6.4) / 27.0)
        return np.where(f >= 1000.0, log, linear)

    def mel_to_hz(m: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
        linear = m * (200.0 / 3)
        log = 1000.0 * np.exp((np.log(6.4) / 27.0) * (m - 15.0))
        return np.where(m >= 15.0, log, linear)

    freqs = np.fft.rfftfreq(_N_FFT, 1.0 / SAMPLE_RATE)
    edges = mel_to_hz(
        np.linspace(hz_to_mel(np.array(0.0)), hz_to_mel(np.array(SAMPLE_RATE / 2)), MEL_BANDS + 2)
    )
    widths = np.diff(edges)
    ramps = edges[:, None] - freqs[None, :]
    lower = -ramps[:-2] / widths[:-1, None]
    upper = ramps[2:] / widths[1:, None]
    bank = np.maximum(0.0, np.minimum(lower, upper))
    bank *= (2.0 / (edges[2:] - edges[:-2]))[:, None]
    return bank.astype(np.float32)


_MEL = _mel_filters()
_WINDOW = (0.5 - 0.5 * np.cos(2 * np.pi * np.arange(_N_FFT) / _N_FFT)).astype(np.float32)  # periodic Hann


def mel_frames(audio: FloatArray) -> npt.NDArray[np.float32]:
    """Mel power spectrogram, one row per 10 ms (frame i centred on sample 160*i, zero padded)."""
    padded = np.pad(audio.astype(np.float32), _N_FFT // 2)
    count = 1 + (len(padded) - _N_FFT) // HOP
    index = np.arange(_N_FFT)[None, :] + HOP * np.arange(count)[:, None]
    power = np.abs(np.fft.rfft(padded[index] * _WINDOW, axis=1)) ** 2
    return np.asarray(power @ _MEL.T, dtype=np.float32)


@dataclass
class SpeakerEncoder:
    """A loaded voice encoder; `embed` turns mel windows into unit-length speaker embeddings."""

    net: VoiceEncoderNet
    source: Path
    # An LSTM steps through time in small matrix products: one thread beats two on a shared CPU
    # (8x on a loaded 2-core machine), so embedding runs with `threads` torch threads.
    threads: int = 1

    @classmethod
    def load(cls, path: str | Path | None = None) -> SpeakerEncoder:
        """Load the embedded encoder, or the checkpoint (file or folder with pretrained.pt) at `path`."""
        source = Path(path) if path is not None else embedded_encoder_path()
        if source.is_dir():
            source = source / WEIGHTS_FILE
        if not source.is_file():
            raise ModelUnavailable(f"{source}: speaker encoder weights not found")
        try:
            checkpoint = torch.load(source, map_location="cpu", weights_only=True)
            state = checkpoint.get("model_state", checkpoint)
            layers = sum(1 for k in state if k.startswith("lstm.weight_ih_l"))
            hidden = int(state["lstm.weight_hh_l0"].shape[1])
            net = VoiceEncoderNet(layers, hidden, int(state["linear.weight"].shape[0]))
            # the GE2E checkpoint also holds its training loss's similarity scale: not part of the encoder
            net.load_state_dict({k: v for k, v in state.items() if not k.startswith("similarity_")})
        except Exception as exc:  # torch raises many types for a bad file
            raise ModelUnavailable(
                f"{source}: not a voice-encoder checkpoint ({exc.__class__.__name__})"
            ) from exc
        net.eval()
        return cls(net=net, source=source)

    def embed_slices(
        self, mel: npt.NDArray[np.float32], slices: Sequence[tuple[int, int]], batch: int = 64
    ) -> npt.NDArray[np.float32]:
        """One embedding per (first, last+1) frame range of `mel`; ranges may differ in length."""
        previous = torch.get_num_threads()
        torch.set_num_threads(self.threads)
        try:
            out = self._embed_batches(mel, slices, batch)
        finally:
            torch.set_num_threads(previous)
        size = self.net.linear.out_features
        return np.concatenate(out) if out else np.zeros((0, size), dtype=np.float32)

    def _embed_batches(
        self, mel: npt.NDArray[np.float32], slices: Sequence[tuple[int, int]], batch: int
    ) -> list[npt.NDArray[np.float32]]:
        out = []
        with torch.inference_mode():
            for i in range(0, len(slices), batch):
                part = [torch.from_numpy(mel[a:b]) for a, b in slices[i : i + batch]]
                lengths = torch.tensor([len(p) for p in part])
                padded = nn.utils.rnn.pad_sequence(part, batch_first=True)
                packed = nn.utils.rnn.pack_padded_sequence(
                    padded, lengths, batch_first=True, enforce_sorted=False
                )
                out.append(self.net(packed).numpy())
        return out
