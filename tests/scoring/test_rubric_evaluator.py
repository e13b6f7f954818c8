"""The evaluator: applicability, totals, auto-fail, pending, evidence and the dict shape."""

from __future__ import annotations

import textwrap

from scoring.conversation import Conversation, Turn
from scoring.rubric import WordHashEncoder, evaluate, evaluate_many, parse_rubric

RUBRIC = parse_rubric(
    textwrap.dedent(
        """\
        id: demo
        name: Demo
        channels: [call, chat]
        sections:
          - id: opening
            name: Opening
            weight: 3
            criteria:
              - id: greeting
                question: Names the department?
                points: 10
                detector: {type: phrases, speaker: agent, phrases: [public works]}
              - id: agent_name
                question: Gives a name?
                points: 10
                detector: {type: regex, speaker: agent, pattern: 'this is [a-z]+'}
          - id: handling
            name: Handling
            weight: 1
            criteria:
              - id: hold_etiquette
                question: Asks before a hold?
                points: 10
                applies_if:
                  any_of:
                    - metric: {metric: hold_count, op: ">", value: 0}
                    - detected: {type: phrases, speaker: agent, phrases: [hold on a moment]}
                detector: {type: phrases, speaker: agent, phrases: [can you hold on a moment]}
              - id: parking_only
                question: Explains the citation appeal?
                points: 10
                applies_if: {topics: [parking_enforcement], channels: [call]}
                detector: {type: phrases, phrases: [appeal]}
              - id: policy
                question: Correct policy? (reviewer)
                points: 10
                detector: {type: manual}
              - id: rude
                question: No rudeness?
                points: 5
                critical: true
                detector: {type: prohibited, phrases: [not my problem]}
        """
    ),
    "demo.yaml",
)


def chat(*texts: tuple[str, str], **kw: object) -> Conversation:
    turns = [Turn(s, t, start=float(i)) for i, (s, t) in enumerate(texts)]  # type: ignore[arg-type]
    return Conversation(turns=turns, **kw)  # type: ignore[arg-type]


def by_id(conversation: Conversation) -> dict[str, str]:
    return {c.id: c.result for c in evaluate(conversation, RUBRIC).criteria}


def test_hold_etiquette_is_na_without_a_hold_and_detected_from_text_in_chats() -> None:
    no_hold = chat(("agent", "public works this is ana"), channel="chat")
    assert by_id(no_hold)["hold_etiquette"] == "na"
    asked = chat(
        ("agent", "public works"), ("agent", "can you hold on a moment while i check"), channel="chat"
    )
    assert by_id(asked)["hold_etiquette"] == "pass"
    metric_hold = chat(("agent", "public works"), channel="call", metrics={"hold_count": 1.0})
    assert by_id(metric_hold)["hold_etiquette"] == "fail"
    # No metrics on this call: the text shows a hold, so it applies (and the agent did not ask).
    text_hold_no_metric = chat(("agent", "hold on a moment"), channel="call")
    assert by_id(text_hold_no_metric)["hold_etiquette"] == "fail"


def test_topic_and_channel_conditions() -> None:
    base = [("agent", "you can file an appeal online")]
    assert by_id(chat(*base, channel="call", topic="parking_enforcement"))["parking_only"] == "pass"
    assert by_id(chat(*base, channel="call", topic="potholes"))["parking_only"] == "na"
    assert by_id(chat(*base, channel="chat", topic="parking_enforcement"))["parking_only"] == "na"


def test_total_over_applicable_points_with_section_weights() -> None:
    ev = evaluate(chat(("agent", "public works how can i help"), channel="chat"), RUBRIC)
    opening, handling = ev.sections
    assert (opening.score, opening.points, opening.max_points) == (50.0, 10, 20)
    # hold_etiquette and parking_only are n/a, policy is pending: only `rude` counts in handling.
    assert (handling.score, handling.points, handling.max_points) == (100.0, 5, 5)
    assert ev.total == round((3 * 50.0 + 1 * 100.0) / 4, 1)
    assert ev.pending == ["policy"]
    assert not ev.auto_fail


def test_reviewer_answers_fill_pending_criteria() -> None:
    conv = chat(("agent", "public works this is ana"), channel="chat")
    ev = evaluate(conv, RUBRIC, answers={"policy": "fail"})
    assert ev.pending == []
    assert ev.sections[1].max_points == 15 and ev.sections[1].points == 5


def test_failed_critical_criterion_auto_fails() -> None:
    ev = evaluate(
        chat(("agent", "public works this is ana"), ("agent", "not my problem"), channel="chat"), RUBRIC
    )
    assert ev.auto_fail
    assert ev.total == 0.0
    assert ev.sections[0].score == 100.0  # section scores still show what went well


def test_nothing_applicable_gives_no_total() -> None:
    only_manual = parse_rubric(
        "id: m\nname: M\nchannels: [chat]\nsections:\n  - id: s\n    name: S\n    weight: 1\n"
        "    criteria:\n      - {id: c, question: q, points: 1, detector: {type: manual}}\n"
    )
    assert evaluate(chat(("agent", "hi"), channel="chat"), only_manual).total is None


def test_evidence_and_dict_shape() -> None:
    conv = Conversation(
        "call",
        [Turn("customer", "hello?", 0.1, 1.0), Turn("agent", "Public Works, this is Ana.", 0.5, 2.0)],
    )
    d = evaluate(conv, RUBRIC).to_dict()
    assert set(d) >= {"rubric", "rubric_version", "total", "auto_fail", "criteria", "sections"}
    assert d["rubric"] == "demo" and d["rubric_version"] == RUBRIC.version
    greeting = d["criteria"][0]
    assert greeting["id"] == "greeting" and greeting["result"] == "pass"
    assert (greeting["points"], greeting["max_points"]) == (10, 10)
    assert greeting["evidence"] == [{"turn": 1, "speaker": "agent", "start": 0.5, "text": "public works"}]
    assert 0 < greeting["confidence"] <= 1
    assert d["criteria"][1]["evidence"][0]["text"] == "this is Ana"
    assert d["sections"][0] == {
        "id": "opening",
        "name": "Opening",
        "weight": 3.0,
        "score": 100.0,
        "points": 20,
        "max_points": 20,
    }


def test_evaluate_many_matches_evaluate_and_batches_the_encoding() -> None:
    rubric = parse_rubric(
        "id: sem\nname: S\nchannels: [chat]\nsections:\n  - id: s\n    name: S\n    weight: 1\n"
        "    criteria:\n      - {id: c, question: q, points: 1,"
        " detector: {type: semantic, examples: [is there anything else], threshold: 0.8}}\n"
    )
    convs = [
        chat(("agent", "is there anything else"), channel="chat"),
        chat(("agent", "goodbye"), ("customer", "is there anything else"), channel="chat"),
    ]
    encoder = WordHashEncoder()
    many = evaluate_many(convs, rubric, encoder=encoder)
    assert encoder.calls == [2, 1]  # 3 turns, 2 distinct texts, in one batch; then the examples once
    single = [evaluate(c, rubric, encoder=WordHashEncoder()) for c in convs]
    assert [e.to_dict() for e in many] == [e.to_dict() for e in single]
    assert [e.criteria[0].result for e in many] == ["pass", "fail"]


def test_only_turns_read_by_semantic_detectors_are_encoded() -> None:
    rubric = parse_rubric(
        "id: sem\nname: S\nchannels: [chat]\nsections:\n  - id: s\n    name: S\n    weight: 1\n"
        "    criteria:\n      - {id: c, question: q, points: 1,"
        " detector: {type: semantic, speaker: agent, examples: [hello there], threshold: 0.8}}\n"
    )
    conv = chat(("customer", "hello there"), ("agent", "hello there"), ("customer", "bye"), channel="chat")
    encoder = WordHashEncoder()
    ev = evaluate(conv, rubric, encoder=encoder)
    assert encoder.calls == [1, 1]  # examples, then the single agent turn
    assert [e.turn for e in ev.criteria[0].evidence] == [1]
