"""qa.audit.service.audited: the one before/after capture every audited change goes through."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy.orm import Session

from qa.access import Principal
from qa.audit import service as audit_service
from qa.auth.service import principal_for
from qa.models import Role, Team
from tests.qa.builders import add_user


def _admin(session: Session) -> Principal:
    add_user(session, "ada", Role.ADMIN)
    principal = principal_for(session=session, username="ada")
    assert principal is not None
    return principal


def _entries(session: Session) -> list[Any]:
    principal = principal_for(session=session, username="ada")
    assert principal is not None
    return list(audit_service.list_entries(session=session, principal=principal))


def test_records_the_state_before_and_after_the_block(session: Session) -> None:
    admin = _admin(session)
    team = Team(name="North")
    session.add(team)
    session.flush()
    with audit_service.audited(
        session=session,
        principal=admin,
        action="rename_team",
        entity="team",
        entity_id=team.id,
        snapshot=lambda: {"name": team.name},
    ):
        team.name = "North-East"
    [entry] = _entries(session)
    assert (entry.username, entry.action, entry.entity_id) == ("ada", "rename_team", team.id)
    assert (entry.before, entry.after) == ({"name": "North"}, {"name": "North-East"})


def test_a_created_row_has_no_before_and_takes_its_id_from_the_block(session: Session) -> None:
    admin = _admin(session)
    team = Team(name="South")
    with audit_service.audited(
        session=session,
        principal=admin,
        action="create_team",
        entity="team",
        snapshot=lambda: {"name": team.name} if team.id is not None else None,
    ) as change:
        session.add(team)
        session.flush()
        change.entity_id = team.id
    [entry] = _entries(session)
    assert (entry.entity_id, entry.before, entry.after) == (team.id, None, {"name": "South"})


def test_a_block_that_raises_writes_no_entry(session: Session) -> None:
    admin = _admin(session)
    with (
        pytest.raises(RuntimeError, match="refused"),
        audit_service.audited(
            session=session, principal=admin, action="x", entity="team", entity_id=1, snapshot=lambda: {}
        ),
    ):
        raise RuntimeError("refused")
    assert _entries(session) == []


def test_a_block_that_never_names_its_row_is_a_programming_error(session: Session) -> None:
    admin = _admin(session)
    with (
        pytest.raises(ValueError, match="did not say which team"),
        audit_service.audited(session=session, principal=admin, action="x", entity="team", snapshot=dict),
    ):
        pass
