"""The review queue's sentiment filter reads a customer's ending with scoring.sentiment.mood()'s band."""

from __future__ import annotations

from sqlalchemy.orm import Session

from qa.auth import service as auth_service
from qa.interactions import service
from qa.interactions.service import InteractionFilters
from qa.models import Role
from scoring.sentiment import NEUTRAL_BAND, mood
from tests.qa.builders import add_interaction, add_user


def test_filter_and_mood_agree_at_the_band_edges(session: Session) -> None:
    add_user(session, "mona", Role.MANAGER)
    endings = [-1.0, -NEUTRAL_BAND, -NEUTRAL_BAND / 2, 0.0, NEUTRAL_BAND / 2, NEUTRAL_BAND, 1.0]
    ids = {add_interaction(session, agent="a1", customer_sentiment_end=e).id: e for e in endings}
    principal = auth_service.principal_for(session=session, username="mona")
    assert principal is not None
    for label in ("negative", "neutral", "positive"):
        page = service.list_interactions(
            session=session, principal=principal, filters=InteractionFilters(sentiment=label)
        )
        expected = {i for i, e in ids.items() if mood(e) == label}
        assert {i.id for i in page.items} == expected and page.total == len(expected), label
