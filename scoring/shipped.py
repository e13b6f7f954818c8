"""Where the data shipped with Callcoach lives: the top-level `rubrics/` folder (also inside the wheel)."""

from __future__ import annotations

from pathlib import Path

__all__ = ["SHIPPED_RUBRICS_DIR", "SHIPPED_TOPICS_FILE"]

# rubrics/ sits next to the scoring package in the checkout and in site-packages (see pyproject.toml).
SHIPPED_RUBRICS_DIR = Path(__file__).resolve().parents[1] / "rubrics"
SHIPPED_TOPICS_FILE = SHIPPED_RUBRICS_DIR / "topics.yaml"
