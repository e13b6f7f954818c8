"""Small phrase-only scorecards in a temporary rubrics folder (no model is loaded to score them)."""

from __future__ import annotations

from pathlib import Path

import pytest

from qa import config as qa_config
from qa.config import Settings

CHAT_RUBRIC = """\
id: public_works_chat
name: Test chat scorecard
channels: [chat, email]
sections:
  - id: main
    name: Main
    weight: 100
    criteria:
      - id: greeting
        question: Does the agent name the department?
        points: 10
        detector:
          type: phrases
          phrases: [public works]
      - id: empathy
        question: Does the agent acknowledge the problem?
        points: 10
        detector:
          type: phrases
          phrases: [we apologise]
tests:
  - name: department named
    turns:
      - agent: "Public Works chat, this is Sam."
    expect: {greeting: pass, empathy: fail}
"""

CALL_RUBRIC = CHAT_RUBRIC.replace("public_works_chat", "public_works_call").replace(
    "channels: [chat, email]", "channels: [call]"
)


def use_rubrics_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, **env: str) -> Settings:
    """Settings whose rubrics folder is a fresh copy of the test scorecards (publishing writes into it)."""
    folder = tmp_path / "rubrics"
    folder.mkdir()
    (folder / "public_works_chat.yaml").write_text(CHAT_RUBRIC, encoding="utf-8")
    (folder / "public_works_call.yaml").write_text(CALL_RUBRIC, encoding="utf-8")
    monkeypatch.setenv("CALLCOACH_RUBRICS_DIR", str(folder))
    for key, value in env.items():
        monkeypatch.setenv(f"CALLCOACH_{key.upper()}", value)
    qa_config.get_settings.cache_clear()
    return qa_config.get_settings()
