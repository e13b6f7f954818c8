"""`callcoach rubric validate` and `callcoach rubric test`."""

from __future__ import annotations

from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from qa import config as qa_config
from qa.cli import rubric as rubric_cli
from qa.jobs import ml_models
from scoring.rubric import Rubric, RubricTestReport

RUBRIC = """\
id: tiny
name: Tiny
channels: [call]
sections:
  - id: s
    name: S
    weight: 1
    criteria:
      - id: greeting
        question: Names the department?
        points: 10
        detector: {type: phrases, phrases: [public works]}
tests:
  - name: greets
    turns: [{agent: "public works how can i help"}]
    expect: {greeting: pass}
"""


def app() -> typer.Typer:
    root = typer.Typer()

    @root.callback()
    def main() -> None:
        """Test root."""

    rubric_cli.register(root)
    return root


def test_validate_ok_and_invalid(tmp_path: Path) -> None:
    good = tmp_path / "good.yaml"
    good.write_text(RUBRIC)
    res = CliRunner().invoke(app(), ["rubric", "validate", str(good)])
    assert res.exit_code == 0, res.output
    assert "ok:" in res.output and "tiny version" in res.output
    bad = tmp_path / "bad.yaml"
    bad.write_text(RUBRIC.replace("points: 10", "points: ten"))
    res = CliRunner().invoke(app(), ["rubric", "validate", str(bad)])
    assert res.exit_code == 1
    assert "bad.yaml: sections[s].criteria[greeting].points: Input should be a valid number" in res.output


def test_test_command_exit_codes(tmp_path: Path) -> None:
    good = tmp_path / "good.yaml"
    good.write_text(RUBRIC)
    res = CliRunner().invoke(app(), ["rubric", "test", str(good)])
    assert res.exit_code == 0, res.output
    assert "tiny: 1 passed, 0 failed" in res.output
    wrong = tmp_path / "wrong.yaml"
    wrong.write_text(RUBRIC.replace("expect: {greeting: pass}", "expect: {greeting: fail}"))
    res = CliRunner().invoke(app(), ["rubric", "test", str(wrong)])
    assert res.exit_code == 1
    assert "FAIL" in res.output and "tiny: 0 passed, 1 failed" in res.output


def _configure(monkeypatch: pytest.MonkeyPatch, **env: str) -> None:
    for name, value in env.items():
        monkeypatch.setenv(f"CALLCOACH_{name.upper()}", value)
    qa_config.get_settings.cache_clear()


def test_test_command_reads_the_configured_rubrics_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "tiny.yaml").write_text(RUBRIC)
    _configure(monkeypatch, rubrics_dir=str(tmp_path))
    try:
        res = CliRunner().invoke(app(), ["rubric", "test"])
    finally:
        qa_config.get_settings.cache_clear()
    assert res.exit_code == 0, res.output
    assert "tiny: 1 passed, 0 failed" in res.output and "public_works" not in res.output


@pytest.mark.parametrize("int8", ["true", "false"])
def test_test_command_scores_with_the_pipelines_encoder(
    int8: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "tiny.yaml").write_text(RUBRIC)
    _configure(monkeypatch, rubrics_dir=str(tmp_path), encoder_int8=int8)
    used: list[object] = []
    real = rubric_cli.run_rubric_tests

    def spy(rubric: Rubric, *, encoder: object = None) -> RubricTestReport:
        used.append(encoder)
        return real(rubric, encoder=encoder)  # type: ignore[arg-type]

    monkeypatch.setattr(rubric_cli, "run_rubric_tests", spy)
    try:
        res = CliRunner().invoke(app(), ["rubric", "test"])
        pipeline_encoder = ml_models.encoder(qa_config.get_settings())
    finally:
        qa_config.get_settings.cache_clear()
    assert res.exit_code == 0, res.output
    assert used == [pipeline_encoder] and pipeline_encoder.quantized is (int8 == "true")
