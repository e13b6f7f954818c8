"""Settings read from the environment (prefix CALLCOACH_) and an optional .env file."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DEVELOPMENT_SECRET = "callcoach-development-secret-do-not-use-in-production"
PLACEHOLDER_SECRETS = {"", "change-me", "changeme", "secret", "please-change-me", DEVELOPMENT_SECRET}


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
    secret_key: str = DEVELOPMENT_SECRET

    # Models: a name the library knows, a local folder, or empty for the embedded default.
    whisper_model: str = ""
    whisper_device: str = "cpu"
    whisper_compute_type: str = "int8"
    whisper_beam_size: int = 1
    whisper_threads: int = 0
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
    agent_labels: list[str] = Field(default_factory=lambda: ["Agent", "Representative", "Rep"])
    customer_labels: list[str] = Field(default_factory=lambda: ["Customer", "Caller", "Resident"])
    max_upload_bytes: int = 200 * 1024 * 1024
    token_minutes: int = 8 * 60

    # Measured trust (issue 14): the automation guard, sampling plans and the weekly assignment run.
    trust_min_kappa: float = Field(default=0.6, ge=-1, le=1)
    trust_min_answers: int = Field(default=20, ge=1)
    sampling_dir: Path = Path("./sampling")
    assign_day_of_week: str = "mon"
    assign_hour: int = Field(default=5, ge=0, le=23)

    @model_validator(mode="after")
    def _refuse_placeholder_secret(self) -> Settings:
        if self.environment != "development" and self.secret_key.strip().lower() in PLACEHOLDER_SECRETS:
            raise ValueError(
                "CALLCOACH_SECRET_KEY is a placeholder; set a long random value outside development"
            )
        return self


@lru_cache
def get_settings() -> Settings:
    """The process-wide settings, read once."""
    return Settings()
