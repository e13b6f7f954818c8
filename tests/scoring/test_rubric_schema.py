"""Rubric files: schema errors name the file, field path and problem; versions are content hashes."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from scoring.rubric import RubricInvalid, load_rubric, load_shipped_rubrics, parse_rubric

VALID = textwrap.dedent(
    """\
    id: mini
    name: Mini rubric
    channels: [call]
    sections:
      - id: opening
        name: Opening
        weight: 1
        criteria:
          - id: greeting
            question: Names the department?
            points: 10
            detector: {type: phrases, phrases: [public works], window: {first_turns: 2}}
    """
)


def _with(old: str, new: str) -> str:
    assert old in VALID
    return VALID.replace(old, new)


INVALID = [
    (
        _with("phrases: [public works], window", "phrases: [public works], threshold: 120, window"),
        "bad.yaml: sections[opening].criteria[greeting].detector.threshold: "
        "Input should be less than or equal to 100",
    ),
    (
        _with("        question: Names the department?\n", ""),
        "bad.yaml: sections[opening].criteria[greeting].question: Field required",
    ),
    (
        _with("{type: phrases,", "{type: phrase,"),
        "bad.yaml: sections[opening].criteria[greeting].detector: Input tag 'phrase' found using 'type' "
        "does not match any of the expected tags:",
    ),
    (
        _with("points: 10", "points: 10\n        critcal: true"),
        "bad.yaml: sections[opening].criteria[greeting].critcal: Extra inputs are not permitted",
    ),
    (
        _with("window: {first_turns: 2}", "window: {first_turns: 2, last_turns: 1}"),
        "bad.yaml: sections[opening].criteria[greeting].detector.window: "
        "use either first_* or last_* limits, not both",
    ),
    (
        _with(
            "{type: phrases, phrases: [public works], window: {first_turns: 2}}",
            "{type: regex, pattern: '(unclosed'}",
        ),
        "bad.yaml: sections[opening].criteria[greeting].detector.pattern: invalid regular expression:",
    ),
    (
        _with(
            "{type: phrases, phrases: [public works], window: {first_turns: 2}}",
            "{type: metric, checks: [{metric: hold_cnt, op: '>', value: 0}]}",
        ),
        "bad.yaml: sections[opening].criteria[greeting].detector.checks[0].metric: "
        "unknown metric 'hold_cnt' (see docs/metrics.md)",
    ),
    (
        _with(
            "{type: phrases, phrases: [public works], window: {first_turns: 2}}",
            "{type: any_of, detectors: [{type: phrases, phrases: [hi]},"
            " {type: semantic, examples: [hi], threshold: 2}]}",
        ),
        "bad.yaml: sections[opening].criteria[greeting].detector.detectors[1].threshold: "
        "Input should be less than or equal to 1",
    ),
    (
        VALID + VALID[VALID.index("      - id: greeting") :],
        "bad.yaml: sections[opening].criteria[greeting].id: duplicate criterion id 'greeting'",
    ),
    (
        VALID + "tests:\n  - name: t\n    turns: [{agent: hi}]\n    expect: {greting: pass}\n",
        "bad.yaml: tests[0].expect.greting: no criterion with id 'greting'",
    ),
    (
        VALID + "tests:\n  - name: t\n    turns: [{agent: hi}]\n    expect: {greeting: passed}\n",
        "bad.yaml: tests[0].expect.greeting: Input should be 'pass', 'fail', 'na' or 'pending'",
    ),
    (_with("channels: [call]", "channels: [call"), "bad.yaml: line "),
    ("- just a list\n", "bad.yaml: a rubric file must be a mapping"),
    (VALID + "x: &x [1, 2]\ny: [*x, *x]\n", "bad.yaml: line "),  # aliases: a "billion laughs" expands
]


@pytest.mark.parametrize(("text", "expected"), INVALID)
def test_invalid_rubric_names_file_field_and_problem(tmp_path: Path, text: str, expected: str) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(text)
    with pytest.raises(RubricInvalid) as info:
        load_rubric(path)
    message = str(info.value)
    assert "\n" not in message
    assert message.startswith(str(tmp_path / expected)), message


def test_several_problems_are_counted_on_one_line() -> None:
    text = _with("points: 10", "points: -1").replace("weight: 1", "weight: 0")
    with pytest.raises(RubricInvalid, match=r"\(and 1 more problem\)$"):
        parse_rubric(text, "x.yaml")


def test_missing_file_is_rubric_invalid(tmp_path: Path) -> None:
    with pytest.raises(RubricInvalid, match="cannot read file"):
        load_rubric(tmp_path / "nope.yaml")


def test_version_is_a_content_hash(tmp_path: Path) -> None:
    path = tmp_path / "r.yaml"
    path.write_text(VALID)
    first = load_rubric(path)
    assert len(first.version) == 8 and int(first.version, 16) >= 0
    assert load_rubric(path).version == first.version
    # Comments and layout do not change what the rubric scores.
    path.write_text("# a comment\n" + VALID.replace("[public works]", "[ public works ]"))
    assert load_rubric(path).version == first.version
    # Whether agents may score themselves is read from the stored version, so it makes a new one.
    path.write_text(VALID.replace("channels: [call]", "channels: [call]\nself_evaluation: false"))
    assert load_rubric(path).version != first.version and not load_rubric(path).spec.self_evaluation
    path.write_text(VALID.replace("public works", "public work"))
    assert load_rubric(path).version != first.version
    path.write_text(VALID.replace("points: 10", "points: 5"))
    assert load_rubric(path).version != first.version


def test_test_cases_do_not_change_the_version() -> None:
    with_tests = (
        VALID + "tests:\n  - name: t\n    turns: [{agent: public works}]\n    expect: {greeting: pass}\n"
    )
    assert parse_rubric(with_tests).version == parse_rubric(VALID).version


REQUIRED = {
    "greeting",
    "agent_name",
    "empathy",
    "verification",
    "hold_etiquette",
    "resolution_summary",
    "offer_further_help",
    "closing",
    "prohibited_language",
}


def test_shipped_rubrics_have_the_required_criteria() -> None:
    rubrics = load_shipped_rubrics()
    assert {"public_works_call", "public_works_chat"} <= set(rubrics)
    assert rubrics["public_works_call"].spec.channels == ["call"]
    assert set(rubrics["public_works_chat"].spec.channels) == {"chat", "email"}
    for rubric in rubrics.values():
        criteria = {c.id: c for c in rubric.spec.criteria()}
        assert set(criteria) >= REQUIRED, rubric.id
        assert criteria["prohibited_language"].critical
        assert criteria["hold_etiquette"].applies_if is not None
        assert rubric.spec.tests, f"{rubric.id} ships without test cases"


def test_shipped_rubric_paths_skip_other_yaml(tmp_path: Path) -> None:
    from scoring.rubric import shipped_rubric_paths

    (tmp_path / "a.yaml").write_text(VALID)
    (tmp_path / "topics.yaml").write_text("version: 1\ntopics: []\n")
    (tmp_path / "broken.yaml").write_text("id: [unclosed\n")
    assert [p.name for p in shipped_rubric_paths(tmp_path)] == ["a.yaml", "broken.yaml"]
