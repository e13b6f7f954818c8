"""Attack: a rubric regex that backtracks exponentially (`^(a+)+$`) passed `rubric validate` and then hung
a worker forever. Such shapes are refused when a rubric is read; any other slow pattern hits a time limit."""

from __future__ import annotations

import time
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import numpy.typing as npt
import pytest
from typer.testing import CliRunner

from qa.cli import app
from scoring import rubric as rubric_lib
from scoring.conversation import Conversation, Turn
from scoring.rubric.patterns import PatternTimeout

SHIPPED = Path(rubric_lib.rubrics_dir()) / "public_works_chat.yaml"
FIRST_PATTERN = 'pattern: "\\\\b(?:my name is'


def _rubric_with(pattern: str, tmp_path: Path) -> Path:
    text = SHIPPED.read_text(encoding="utf-8")
    start = text.index(FIRST_PATTERN)
    end = text.index("\n", start)
    quoted = pattern.replace("\\", "\\\\")
    path = tmp_path / "evil.yaml"
    path.write_text(text[:start] + f'pattern: "{quoted}"' + text[end:], encoding="utf-8")
    return path


@pytest.mark.parametrize("pattern", ["^(a+)+$", r"(\w+\s?)*$", "(?:x*)*y", "(b|(a+))*c"])
def test_validate_refuses_nested_repeats(pattern: str, tmp_path: Path) -> None:
    path = _rubric_with(pattern, tmp_path)
    result = CliRunner().invoke(app, ["rubric", "validate", str(path)], catch_exceptions=False)
    assert result.exit_code == 1
    line = " ".join(result.stderr.split())
    assert line.startswith(f"error: {path}") and "repeats a group that itself repeats" in line


def test_shipped_patterns_pass_the_check() -> None:
    for path in rubric_lib.shipped_rubric_paths(rubric_lib.rubrics_dir()):
        rubric_lib.load_rubric(path)


def test_a_slow_pattern_the_check_allows_fails_within_its_time_limit(tmp_path: Path) -> None:
    # Alternatives that overlap backtrack exponentially too; the shape check lets them through.
    rubric = rubric_lib.load_rubric(_rubric_with("^(a|aa)+$", tmp_path))
    conversation = Conversation(
        channel="chat",
        turns=[Turn(text="a" * 60 + "!", speaker="agent"), Turn(text="ok", speaker="customer")],
    )
    started = time.monotonic()
    with pytest.raises(PatternTimeout, match=r"took longer than 0.2 s on a turn of 61 characters"):
        rubric_lib.evaluate(conversation, rubric, encoder=_NoEncoder(), regex_timeout=0.2)
    assert time.monotonic() - started < 30  # not forever: `re` would run for years on this turn


class _NoEncoder:
    """Semantic detectors are not under test; the regex runs before anything is encoded."""

    def encode(self, texts: Sequence[str]) -> npt.NDArray[np.float32]:
        return np.full((len(texts), 4), 0.5, dtype=np.float32)
