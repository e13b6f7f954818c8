"""Teams, agents (as named at ingestion) and the users who log in."""

from __future__ import annotations

import enum

from sqlalchemy import Enum, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from qa.models.base import Base, CreatedAtMixin


class Role(enum.StrEnum):
    AGENT = "agent"
    SUPERVISOR = "supervisor"
    MANAGER = "manager"
    ADMIN = "admin"


class Team(CreatedAtMixin, Base):
    __tablename__ = "team"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)


class Agent(CreatedAtMixin, Base):
    __tablename__ = "agent"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    display_name: Mapped[str | None] = mapped_column(String(200))
    team_id: Mapped[int | None] = mapped_column(ForeignKey("team.id", ondelete="SET NULL"), index=True)

    team: Mapped[Team | None] = relationship(lazy="raise")


class User(CreatedAtMixin, Base):
    __tablename__ = "user_account"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(120), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[Role] = mapped_column(
        Enum(Role, native_enum=False, length=16, values_callable=lambda e: [m.value for m in e])
    )
    agent_id: Mapped[int | None] = mapped_column(ForeignKey("agent.id", ondelete="SET NULL"))
    team_id: Mapped[int | None] = mapped_column(ForeignKey("team.id", ondelete="SET NULL"))
    is_active: Mapped[bool] = mapped_column(default=True)
    # Carried in every token; bumped on a password change or deactivation, which voids older tokens.
    token_version: Mapped[int] = mapped_column(default=0, server_default="0")
    # Where notifications are mailed when SMTP is configured; none: in-app only.
    email: Mapped[str | None] = mapped_column(String(254))

    agent: Mapped[Agent | None] = relationship(lazy="raise")
    team: Mapped[Team | None] = relationship(lazy="raise")


class LoginFailure(Base):
    """One wrong password, counted per username and per address to slow guessing (see qa.auth.limits)."""

    __tablename__ = "login_failure"
    __table_args__ = (Index("ix_login_failure_key_at", "key", "failed_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    # "user:<name>" or "address:<ip>"; unknown names are counted too, so a lockout tells nothing.
    key: Mapped[str] = mapped_column(String(200))
    # Seconds since the epoch: compared in SQL the same way on SQLite and PostgreSQL.
    failed_at: Mapped[float]
