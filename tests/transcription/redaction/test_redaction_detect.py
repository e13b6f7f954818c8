"""Detection per entity type: typed, spoken, misheard, split over turns; and what is not personal data."""

from __future__ import annotations

import pytest

from transcription.redaction import Entity, RedactionOptions, Turn, Word, detect


def found(turns: list[Turn], options: RedactionOptions | None = None) -> list[tuple[str, int, str]]:
    return [(e.type, e.turn, turns[e.turn].text[e.start : e.end]) for e in detect(turns, options)]


def types_of(text: str, speaker: str | None = "customer") -> list[tuple[str, str]]:
    return [(kind, value) for kind, _, value in found([Turn(text, speaker)])]


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("my card is 4111 1111 1111 1111 thanks", "4111 1111 1111 1111"),
        ("card 5555-5555-5555-4444.", "5555-5555-5555-4444"),
        ("amex 3782 822463 10005", "3782 822463 10005"),
        ("it's four one one one one one one one one one one one one one one one", None),
        ("for one one one, one one one one, uh, one one one one, one one one one", None),
        ("five five five five, double five, five five, five five five five, four four four four", None),
    ],
)
def test_card_numbers_typed_and_spoken_with_recognition_errors(text: str, value: str | None) -> None:
    result = types_of(text)
    assert [k for k, _ in result] == ["CARD"]
    assert value is None or result[0][1] == value
    assert result[0][1].split()[-1].strip(",.").endswith(("1", "one", "4444", "10005", "four"))


def test_digits_that_fail_luhn_are_no_card_without_card_talk() -> None:
    assert types_of("the reference is 4111 1111 1111 1112 okay") == []


def test_card_split_over_turns_with_an_interruption_is_one_entity() -> None:
    turns = [
        Turn("Please read me the card number.", "agent"),
        Turn("four one one one, one one one one", "customer"),
        Turn("Mhm, go on.", "agent"),
        Turn("one one one one, um, one one one one.", "customer"),
    ]
    entities = detect(turns)
    cards = [e for e in entities if e.type == "CARD"]
    assert [(e.turn, turns[e.turn].text[e.start : e.end]) for e in cards] == [
        (1, "four one one one, one one one one"),
        (3, "one one one one, um, one one one one"),
    ]
    assert cards[0].group == cards[1].group
    assert cards[0].confidence > 0.9  # Luhn-checked across the turns


def test_misheard_card_is_still_redacted_when_the_talk_is_about_a_card() -> None:
    turns = [
        Turn("What card number?", "agent"),
        Turn("fine fine fine fine fine fine fine fine fine 4 4 4 4", "customer"),
    ]
    (card,) = detect(turns)
    assert card.type == "CARD" and card.confidence < 0.9  # not checked: a person should look


def test_expiry_and_security_code_after_a_card() -> None:
    turns = [
        Turn("card number please", "agent"),
        Turn("4111 1111 1111 1111", "customer"),
        Turn("And the expiration date?", "agent"),
        Turn("oh four, twenty twenty seven.", "customer"),
        Turn("And the three digit security code on the back?", "agent"),
        Turn("seven three eight", "customer"),
    ]
    assert [(k, t) for k, t, _ in found(turns)] == [("CARD", 1), ("EXPIRY", 3), ("CVV", 5)]


def test_expiry_as_a_month_name_and_typed() -> None:
    turns = [
        Turn("card 5555 5555 5555 4444", "customer"),
        Turn("Expiration?", "agent"),
        Turn("December twenty twenty six", "customer"),
    ]
    assert found(turns)[-1] == ("EXPIRY", 2, "December twenty twenty six")
    assert types_of("4111 1111 1111 1111 exp 09/28 cvv 123") == [
        ("CARD", "4111 1111 1111 1111"),
        ("EXPIRY", "09/28"),
        ("CVV", "123"),
    ]


def test_three_digits_without_a_card_are_no_security_code() -> None:
    assert types_of("the code on the bin is 738") == []


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("my SSN is 521-44-8812.", "521-44-8812"),
        (
            "social security number five two one, four four, eight eight one two",
            "five two one, four four, eight eight one two",
        ),
        ("the last four of my social are six six two one", "six six two one"),
    ],
)
def test_social_security_numbers(text: str, value: str) -> None:
    assert types_of(text) == [("SSN", value)]


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("call me at (555) 201-3344 please", "(555) 201-3344"),
        ("it's 555.410.7788", "555.410.7788"),
        ("+1 555 867 5309", "+1 555 867 5309"),
        (
            "my number is five five five, two one two, oh double four seven",
            "five five five, two one two, oh double four seven",
        ),
        (
            "my number is two oh six, five five five, zero one, um, four two.",
            "two oh six, five five five, zero one, um, four two",
        ),
        ("my phone is 555-0142", "555-0142"),
    ],
)
def test_phone_numbers(text: str, value: str) -> None:
    assert types_of(text) == [("PHONE", value)]


def test_phone_number_to_for_two_and_four() -> None:
    assert types_of("reach me at five five five to one to for four oh one") == [
        ("PHONE", "five five five to one to for four oh one")
    ]


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("send it to sam.ortiz77@example.com please", "sam.ortiz77@example.com"),
        ("it's john dot smith at gmail dot com", "john dot smith at gmail dot com"),
        ("email h benson at yahoo dot com", "h benson at yahoo dot com"),
        ("my email is rosa.delgado at gmail.com.", "rosa.delgado at gmail.com"),
    ],
)
def test_email_addresses_typed_and_spoken(text: str, value: str) -> None:
    assert types_of(text) == [("EMAIL", value)]


def test_date_of_birth_asked_then_answered() -> None:
    turns = [Turn("And your date of birth?", "agent"), Turn("March fourth, nineteen fifty two.", "customer")]
    assert found(turns) == [("DOB", 1, "March fourth, nineteen fifty two")]
    assert types_of("date of birth 04/12/1951") == [("DOB", "04/12/1951")]
    assert types_of("I was born on the 9th of July 1978") == [("DOB", "the 9th of July 1978")]


def test_dates_without_birth_talk_are_kept() -> None:
    assert types_of("bulky item pickup on March 3rd 2026, on the 3rd") == []


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("I live at 1420 Maple Avenue.", "1420 Maple Avenue"),
        ("it's fourteen twenty Maple Avenue, right by the bus stop", "fourteen twenty Maple Avenue"),
        ("twenty two oh seven Harbor View Drive", "twenty two oh seven Harbor View Drive"),
        ("77 Birch Terrace, Apt 4. Call", "77 Birch Terrace, Apt 4"),
    ],
)
def test_street_addresses(text: str, value: str) -> None:
    assert types_of(text) == [("ADDRESS", value)]


def test_intersections_and_configured_public_offices_are_not_redacted() -> None:
    assert types_of("the signal at the corner of Fifth Street and Elm Road is out") == []
    options = RedactionOptions(public_addresses=("200 Main Street",))
    turns = [Turn("visit us at 200 Main Street, or mail 12 Oak Lane", "agent")]
    assert found(turns, options) == [("ADDRESS", 0, "12 Oak Lane")]


def test_plates_typed_spelled_and_read_back() -> None:
    turns = [
        Turn("And the license plate?", "agent"),
        Turn("It is seven K L M four two one.", "customer"),
        Turn("So 7KLM421 at the corner, thanks.", "agent"),
        Turn("plate B as in bravo, X, nine, nine, two, seven", "customer"),
    ]
    assert found(turns) == [
        ("PLATE", 1, "seven K L M four two one"),
        ("PLATE", 2, "7KLM421"),
        ("PLATE", 3, "B as in bravo, X, nine, nine, two, seven"),
    ]


def test_plate_words_misheard_by_the_recogniser() -> None:
    turns = [Turn("Played 7KLM 421 at the stop.", "agent")]
    assert found(turns) == [("PLATE", 0, "7KLM 421")]


def test_customer_names_and_later_mentions_but_not_the_agents_name() -> None:
    turns = [
        Turn("Public Works, this is Priya speaking.", "agent"),
        Turn("Hi, this is James Whitfield.", "customer"),
        Turn("May I have your full name?", "agent"),
        Turn("Harold Benson.", "customer"),
        Turn("Thank you, Mr. Benson. And you, James?", "agent"),
    ]
    assert found(turns) == [
        ("NAME", 1, "James Whitfield"),
        ("NAME", 3, "Harold Benson"),
        ("NAME", 4, "Benson"),
        ("NAME", 4, "James"),
    ]


def test_lower_case_name_after_my_name_is() -> None:
    assert types_of("hi my name is marta kowalski, the light is out") == [("NAME", "marta kowalski")]


def test_reference_numbers_are_not_phone_numbers() -> None:
    assert types_of("your case number is 2026001234", "agent") == []
    assert types_of("citation number four four one seven two two nine", "customer") == []


def test_each_type_can_be_switched_off() -> None:
    text = "my name is Rosa Delgado, call me at (555) 201-3344"
    options = RedactionOptions(types=frozenset({"NAME"}))
    assert [k for k, _, _ in found([Turn(text, "customer")], options)] == ["NAME"]


def test_word_timed_turns_give_word_indices_and_times() -> None:
    texts = ["my", "number", "is", "555", "201", "3344.", "Thanks"]
    words = tuple(Word(t, i * 0.5, i * 0.5 + 0.4) for i, t in enumerate(texts))
    turn = Turn(" ".join(texts), "customer", words)
    (entity,) = detect([turn])
    assert entity == Entity(
        type="PHONE",
        turn=0,
        start=13,
        end=25,
        words=(3, 4, 5),
        start_time=1.5,
        end_time=2.9,
        group=1,
        confidence=entity.confidence,
        rule=entity.rule,
    )


def test_numbers_in_later_turns_do_not_join_a_security_code_into_a_card() -> None:
    turns = [
        Turn("visa 4012 8888 8888 1881 exp 0427 security code 332", "customer"),
        Turn("Thank you, the fee is paid. Your confirmation number is 9912044.", "agent"),
        Turn("great, call me on 555 612 7781 when it is ready", "customer"),
    ]
    assert [(k, t, v) for k, t, v in found(turns)] == [
        ("CARD", 0, "4012 8888 8888 1881"),
        ("EXPIRY", 0, "0427"),
        ("CVV", 0, "332"),
        ("PHONE", 2, "555 612 7781"),
    ]


def test_reference_number_after_talk_of_birth_is_no_date_of_birth() -> None:
    turns = [
        Turn("I was born 11/23/1967 if you need to verify me.", "customer"),
        Turn("Thank you. Citation 772210 has been forwarded.", "agent"),
    ]
    assert found(turns) == [("DOB", 0, "11/23/1967")]


def test_digits_the_recogniser_repeated_are_still_a_card() -> None:
    turns = [Turn("Please read me the card number.", "agent"), Turn(" ".join(["1"] * 25), "customer")]
    (card,) = detect(turns)
    assert (card.type, card.start, card.end) == ("CARD", 0, len(turns[1].text))


def test_a_number_ends_when_its_speaker_goes_on_without_digits() -> None:
    # Joined, the two numbers would pass Luhn as a 15-digit card.
    turns = [
        Turn("call me at 555 201 3344", "customer"),
        Turn("ok", "agent"),
        Turn("thanks, hold on", "customer"),
        Turn("90219", "customer"),
    ]
    assert found(turns) == [("PHONE", 0, "555 201 3344")]
