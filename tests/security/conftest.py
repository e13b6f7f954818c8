"""The API world (two teams, one user per role) and the seeded coaching view, shared with the attack tests."""

from tests.coaching_ui.conftest import app_as, seeded_template, ui_db
from tests.qa.api.conftest import auth, client, world

__all__ = ["app_as", "auth", "client", "seeded_template", "ui_db", "world"]
