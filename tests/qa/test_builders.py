"""The ORM test-data builders produce consistent, scored interactions."""

from __future__ import annotations

from sqlalchemy.orm import Session

from qa.evaluations import service as evaluation_service
from qa.models import Role
from tests.qa.builders import CriterionSpec, add_interaction, add_user


def test_builders_store_interaction_turns_and_current_evaluation(session: Session) -> None:
    user = add_user(session, "maria", Role.AGENT, agent="maria.g", team="North")
    chat = add_interaction(session, agent="maria.g")
    failed = add_interaction(
        session, agent="maria.g", criteria=[CriterionSpec("privacy", "fail", critical=True)]
    )
    evaluation = evaluation_service.current_evaluation(session=session, interaction_id=chat.id)
    assert user.agent_id == chat.agent_id and user.team_id is not None
    assert evaluation is not None and evaluation.total == 75.0 and not evaluation.auto_fail
    assert evaluation.criteria[0].criterion_id == "greeting"
    assert evaluation.criteria[0].evidence[0]["speaker"] == "agent"
    failed_eval = evaluation_service.current_evaluation(session=session, interaction_id=failed.id)
    assert failed_eval is not None and failed_eval.auto_fail and failed_eval.total == 0.0
