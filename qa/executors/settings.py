"""Queue and worker knobs, read from the same CALLCOACH_ environment as qa.config.Settings."""

from __future__ import annotations

from pydantic_settings import BaseSettings, SettingsConfigDict


class QueueSettings(BaseSettings):
    """How tasks are delivered again after a lost worker, and a test-only delay."""

    model_config = SettingsConfigDict(env_prefix="CALLCOACH_", env_file=".env", extra="ignore")

    queue_url: str = ""
    # Prefix of every Redis key (queues, unacked tasks, results): several installations or test runs can
    # share one Redis database without seeing each other's tasks.
    queue_key_prefix: str = ""
    # A message not acknowledged this long after delivery goes back to the queue (Redis has no
    # connection-bound acks). Longer than the longest job, or long jobs run twice (harmlessly, see runner).
    queue_visibility_timeout: float = 2 * 3600
    # How often a worker looks for such messages (kombu's default sweep is about 100 s).
    queue_restore_interval: float = 10
    # A job whose worker died this many times (killed, out of memory) is failed instead of tried again.
    max_attempts: int = 5
    # Test hook: seconds to sleep after a step wrote its results and before they commit.
    test_step_delay: float = 0


def get_queue_settings() -> QueueSettings:
    """The queue settings as the environment says now (cheap; read per use so tests can change them)."""
    return QueueSettings()
