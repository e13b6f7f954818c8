"""Item 14: notes, comments and transcript text are shown as text: no remote image (tracking pixel) loads."""

from __future__ import annotations

from collections.abc import Callable

from streamlit.testing.v1 import AppTest

from coaching_ui.figures import md_literal
from qa import config as qa_config
from qa.auth.service import principal_for
from qa.coaching import service as coaching_service
from qa.db import session_scope
from qa.models import Answer
from qa.reviews import service as review_service
from tests.coaching_ui.seed import Seeded

PIXEL = "![pixel](http://tracker.invalid/p.png)"
LINKED = "[click](javascript:alert(1)) <img src=http://tracker.invalid/q.png>"


def _rendered(at: AppTest) -> str:
    parts = [m.value for m in at.markdown] + [c.value for c in at.caption] + [i.value for i in at.info]
    return "\n".join(str(p) for p in parts)


def test_a_coaching_note_with_a_markdown_image_is_shown_as_text(
    app_as: Callable[..., AppTest], ui_db: Seeded
) -> None:
    with session_scope(qa_config.get_settings().database_url) as db:
        sam = principal_for(session=db, username="sam")
        assert sam is not None
        coaching_service.create_note(
            session=db, principal=sam, interaction_id=ui_db.maria_ids[0], text=f"Look {PIXEL} {LINKED}"
        )
    at = app_as("maria")
    assert not at.exception
    shown = _rendered(at)
    assert md_literal(f"Look {PIXEL} {LINKED}") in shown
    assert PIXEL not in shown and "](http" not in shown and "](javascript" not in shown


def test_a_reviewer_comment_with_an_image_is_shown_as_text(
    app_as: Callable[..., AppTest], ui_db: Seeded
) -> None:
    with session_scope(qa_config.get_settings().database_url) as db:
        sam = principal_for(session=db, username="sam")
        assert sam is not None
        review_service.override_criterion(
            session=db,
            principal=sam,
            interaction_id=ui_db.auto_fail_id,
            criterion_id="no_personal_data",
            result=Answer.PASS,
            comment=f"fine {PIXEL}",
        )
    at = app_as("sam")
    at.session_state["interaction_id"] = ui_db.auto_fail_id
    at.switch_page("app_pages/interaction.py").run()
    assert not at.exception
    shown = _rendered(at)
    assert md_literal(f"fine {PIXEL}") in shown and PIXEL not in shown
