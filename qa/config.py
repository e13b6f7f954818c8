"""Settings read from the environment (prefix CALLCOACH_) and an optional .env file."""

from __future__ import annotations

import os
import secrets
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

# Published values (this one was the default before 0.2): refused everywhere, they let anyone sign a token.
DEVELOPMENT_SECRET = "callcoach-development-secret-do-not-use-in-production"
PLACEHOLDER_SECRETS = {"change-me", "changeme", "secret", "please-change-me", DEVELOPMENT_SECRET}
# Outside development a key must be at least this long and use this many different characters.
MIN_SECRET_LENGTH = 32
MIN_SECRET_DISTINCT_CHARS = 12


class ServiceTargets(BaseModel):
    """A team's service-level targets per channel (docs/metrics.md, "Service levels")."""

    model_config = ConfigDict(extra="forbid")

    # Calls: answered within answer_seconds (speed of answer), for at least answer_share of answered calls;
    # at most abandon_share of offered calls hang up before an answer.
    answer_seconds: float = Field(default=60, gt=0)
    answer_share: float = Field(default=0.8, ge=0, le=1)
    abandon_share: float = Field(default=0.05, ge=0, le=1)
    # Chats: first agent response within chat_response_seconds.
    chat_response_seconds: float = Field(default=60, gt=0)
    chat_response_share: float = Field(default=0.8, ge=0, le=1)
    # E-mails and web forms: first reply and resolution within whole business days (Monday to Friday).
    reply_business_days: int = Field(default=1, ge=1, le=20)
    reply_share: float = Field(default=0.9, ge=0, le=1)
    resolve_business_days: int = Field(default=3, ge=1, le=60)
    resolve_share: float = Field(default=0.8, ge=0, le=1)


class Settings(BaseSettings):
    """Every knob Callcoach reads; one instance per process (see `get_settings`)."""

    model_config = SettingsConfigDict(env_prefix="CALLCOACH_", env_file=".env", extra="ignore")

    environment: Literal["development", "test", "production"] = "development"
    database_url: str = "sqlite:///./var/callcoach.db"
    media_dir: Path = Path("./var/media")
    queue_url: str = ""
    # Prefix of every Redis key (queues, unacked tasks, results): several installations or test runs can
    # share one Redis database without seeing each other's tasks.
    queue_key_prefix: str = ""
    # A task not acknowledged this long after delivery goes back to the queue (Redis has no
    # connection-bound acks). Longer than the longest job, or long jobs run twice (harmlessly); a job
    # running longer than this is taken to have lost its process and may be claimed again.
    queue_visibility_timeout: float = 2 * 3600
    # How often a worker looks for such tasks (kombu's default sweep is about 100 s).
    queue_restore_interval: float = 10
    # A job whose process died this many times (killed, out of memory) is failed instead of tried again.
    max_attempts: int = 5
    # Test hook: seconds to sleep after a step wrote its results and before they commit.
    test_step_delay: float = 0
    # Empty: in development a random key is made on first start and kept in secret_key_file (mode 0600);
    # outside development the key must be set (the same on every machine) and strong.
    secret_key: str = ""
    secret_key_file: Path = Path("./var/secret_key")

    # Models: a name the library knows, a local folder, or empty for the embedded default.
    whisper_model: str = ""
    # Unset (None): the transcription library's own default (transcription.EngineOptions), so the
    # defaults live in one place.
    whisper_device: str | None = None
    whisper_compute_type: str | None = None
    whisper_beam_size: int | None = Field(default=None, ge=1)
    whisper_threads: int | None = Field(default=None, ge=0)
    hotwords: str = ""
    agent_channel: Literal["left", "right"] = "left"
    hold_threshold_seconds: float = 10.0
    max_audio_seconds: float = 4 * 3600
    encoder_model: str = ""
    # int8 dynamic quantization: ~2.5x faster on CPU, same rubric agreement (see docs/sentiment.md).
    encoder_int8: bool = True
    # torch intra-op threads per process; 0 keeps torch's own choice.
    torch_threads: int = 0
    sentiment_backend: Literal["embedded", "transformers", "vader"] = "embedded"
    sentiment_model: str = ""
    sentiment_labels: str = ""

    # Empty: the rubrics and topics shipped with Callcoach (wherever the command runs, also from a wheel).
    rubrics_dir: Path | None = None
    topics_file: Path | None = None
    # Which rubric (by id) scores which channel; a queue entry wins over the channel's.
    rubric_for_channel: dict[str, str] = Field(
        default_factory=lambda: {
            "call": "public_works_call",
            "chat": "public_works_chat",
            "email": "public_works_chat",
            "form": "public_works_chat",
        }
    )
    rubric_for_queue: dict[str, str] = Field(default_factory=dict)
    # Scorecards are edited in the coaching view by managers and admins; supervisors read them, and may
    # edit, preview and publish too when this is on (qa.access.scorecard_editors).
    supervisors_edit_scorecards: bool = False
    # How many recent interactions a draft scorecard is tried on (the impact preview): default, at most.
    rubric_preview_default: int = Field(default=200, ge=1)
    rubric_preview_max: int = Field(default=2_000, ge=1)
    agent_labels: list[str] = Field(default_factory=lambda: ["Agent", "Representative", "Rep"])
    customer_labels: list[str] = Field(default_factory=lambda: ["Customer", "Caller", "Resident"])
    max_upload_bytes: int = 200 * 1024 * 1024
    # Redaction of personal and payment data before anything is stored (docs/redaction.md).
    redact: bool = True
    # Entity types to redact; empty means every type the library knows (checked in qa.redaction.service).
    redact_types: list[str] = Field(default_factory=list)
    redact_audio_fill: Literal["silence", "tone"] = "silence"
    # Street addresses never redacted (the city's own buildings), as typed: "100 Main Street".
    redact_public_addresses: list[str] = Field(default_factory=list)
    # Keep the unredacted recording next to the redacted one, readable by admins only (audited).
    keep_unredacted_audio: bool = False
    # Content limits (docs/security.md, "Limits"): one conversation may hold at most this many turns, this
    # many characters in one turn and in all its turns; a file beyond them is refused (4xx, a failed ingest).
    max_turns: int = Field(default=5_000, ge=1)
    max_turn_chars: int = Field(default=20_000, ge=1)
    max_interaction_chars: int = Field(default=500_000, ge=1)
    # Every job gets this long (Celery time_limit, and the same in process) before it fails with the reason.
    job_time_limit: float = Field(default=30 * 60, gt=0)
    # A running job holds a lease its worker renews every third of it; when the heartbeat stops (the process
    # was killed) the job is taken up again once the lease ran out.
    job_lease_seconds: float = Field(default=60, gt=0)
    # Time allowed to one rubric regular expression on one turn, so a runaway pattern fails, never hangs
    # (passed to scoring.rubric.evaluate; importing scoring here would load torch into every command).
    regex_timeout: float = Field(default=1.0, gt=0)
    token_minutes: int = 8 * 60
    # An agent may dispute a criterion this many days after the evaluation (or after it was finalized).
    dispute_window_days: int = 14
    # Notification e-mail: off while smtp_host is empty.
    smtp_host: str = ""
    smtp_port: int = 25
    smtp_sender: str = "callcoach@localhost"

    # Measured trust (issue 14): the automation guard, sampling plans and the weekly assignment run.
    trust_min_kappa: float = Field(default=0.6, ge=-1, le=1)
    trust_min_answers: int = Field(default=20, ge=1)
    sampling_dir: Path = Path("./sampling")
    assign_day_of_week: str = "mon"
    assign_hour: int = Field(default=5, ge=0, le=23)

    # Reports (issue 16). Service-level targets for everyone, and per team name the targets that differ.
    service_targets: ServiceTargets = Field(default_factory=ServiceTargets)
    service_targets_for_team: dict[str, dict[str, float]] = Field(default_factory=dict)
    # First-contact resolution: a contact is repeated when the same customer contacts again (about the same
    # program, unless repeat_any_program) within this many days; a program's window wins over its channel's.
    repeat_window_days: int = Field(default=7, ge=1, le=90)
    repeat_window_days_for_channel: dict[str, int] = Field(default_factory=dict)
    repeat_window_days_for_program: dict[str, int] = Field(default_factory=dict)
    repeat_any_program: bool = False
    # Coaching effect: the agent's pass rate on the coached criterion in this many interactions before and
    # after each note.
    coaching_effect_interactions: int = Field(default=10, ge=1, le=200)

    @model_validator(mode="after")
    def _check_report_settings(self) -> Settings:
        for team in self.service_targets_for_team:
            self.targets_for_team(team)
        windows = {**self.repeat_window_days_for_channel, **self.repeat_window_days_for_program}
        for name, days in windows.items():
            if not 1 <= days <= 90:
                raise ValueError(f"repeat window for '{name}' must be 1 to 90 days, not {days}")
        return self

    def targets_for_team(self, team: str | None) -> ServiceTargets:
        """The team's service targets: the general ones with the team's overrides."""
        overrides = self.service_targets_for_team.get(team or "", {})
        if not overrides:
            return self.service_targets
        try:
            return ServiceTargets.model_validate({**self.service_targets.model_dump(), **overrides})
        except ValidationError as exc:
            first = exc.errors()[0]
            field = ".".join(str(p) for p in first["loc"])
            raise ValueError(f"service_targets_for_team['{team}'].{field}: {first['msg']}") from None

    @model_validator(mode="after")
    def _resolve_secret(self) -> Settings:
        if not self.secret_key and self.environment == "development":
            self.secret_key = load_or_create_secret(self.secret_key_file)
        check_secret(self.secret_key, self.environment)
        return self


def check_secret(secret: str, environment: str) -> None:
    """Refuse a published placeholder anywhere, and a short or repetitive key outside development."""
    if secret.strip().lower() in PLACEHOLDER_SECRETS:
        raise ValueError("CALLCOACH_SECRET_KEY is a placeholder; set a long random value")
    if environment == "development":
        return
    if not secret:
        raise ValueError(
            f"CALLCOACH_SECRET_KEY is not set; {environment} needs one, e.g. "
            "python -c 'import secrets; print(secrets.token_urlsafe(48))'"
        )
    if len(secret) < MIN_SECRET_LENGTH or len(set(secret)) < MIN_SECRET_DISTINCT_CHARS:
        raise ValueError(
            f"CALLCOACH_SECRET_KEY is too weak (needs {MIN_SECRET_LENGTH}+ characters, "
            f"{MIN_SECRET_DISTINCT_CHARS}+ different ones); use a long random value"
        )


def load_or_create_secret(path: Path) -> str:
    """The key kept in `path`, made (random, owner-only 0600) on first use; refused if others can read it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists():
        # Written whole to a private file, then linked into place: a process starting at the same time
        # never reads a half-written key, and the first one to link wins.
        draft = path.with_name(f".{path.name}.{secrets.token_hex(8)}")
        descriptor = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
            handle.write(secrets.token_urlsafe(48))
        try:
            os.link(draft, path)
        except FileExistsError:
            pass
        finally:
            draft.unlink()
    if path.stat().st_mode & 0o077:
        raise ValueError(f"{path}: the secret key file is readable by others; chmod 600 it")
    secret = path.read_text(encoding="utf-8").strip()
    if len(secret) < MIN_SECRET_LENGTH:
        raise ValueError(f"{path}: the secret key file is empty or too short; delete it to make a new one")
    return secret


@lru_cache
def get_settings() -> Settings:
    """The process-wide settings, read once."""
    return Settings()
