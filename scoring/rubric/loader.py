"""Read rubric YAML, validate it and give it a content-hash version."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from scoring.rubric.errors import RubricInvalid
from scoring.rubric.schema import Channel, Condition, CriterionSpec, RubricSpec
from scoring.shipped import SHIPPED_RUBRICS_DIR

# The keys documented in docs/metrics.md; a typo in a rubric should not silently make a criterion n/a.
KNOWN_METRICS = frozenset(
    {
        "duration_seconds",
        "agent_talk_seconds",
        "customer_talk_seconds",
        "agent_talk_ratio",
        "customer_talk_ratio",
        "silence_count",
        "silence_total_seconds",
        "silence_longest_seconds",
        "hold_count",
        "hold_total_seconds",
        "hold_longest_seconds",
        "overlap_count",
        "overlap_total_seconds",
        "agent_interruptions",
        "customer_interruptions",
        "agent_words_per_minute",
        "customer_words_per_minute",
        "agent_first_words_seconds",
    }
)
VERSION_LENGTH = 8


@dataclass(frozen=True, slots=True)
class Rubric:
    """A validated rubric with its version (short sha256 of the canonical content)."""

    spec: RubricSpec
    version: str
    source: str

    @property
    def id(self) -> str:
        return self.spec.id

    @property
    def name(self) -> str:
        return self.spec.name


def rubric_version(data: Mapping[str, Any]) -> str:
    """Hash of the parsed content without `tests`: comments, layout and test cases do not change scoring.
    Everything else (self_evaluation too) is read from the stored version, so it is part of the hash."""
    scored = {k: v for k, v in data.items() if k != "tests"}
    canonical = json.dumps(scored, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:VERSION_LENGTH]


def parse_rubric(text: str, source: str = "<string>") -> Rubric:
    """Validate rubric YAML text; raises RubricInvalid naming source, field path and problem."""
    _refuse_aliases(text, source)
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}" if mark is not None else ""
        problem = getattr(exc, "problem", None) or str(exc)
        raise RubricInvalid(source, where, f"YAML syntax error: {problem}") from None
    if not isinstance(data, dict):
        raise RubricInvalid(source, "", "a rubric file must be a mapping with id, name, channels, sections")
    try:
        spec = RubricSpec.model_validate(data)
    except ValidationError as exc:
        errors = exc.errors()
        first = errors[0]
        msg = first["msg"].removeprefix("Value error, ")
        raise RubricInvalid(source, _field_path(data, first["loc"]), msg, more=len(errors) - 1) from None
    _check_consistency(spec, source)
    return Rubric(spec=spec, version=rubric_version(data), source=source)


@lru_cache(maxsize=64)
def allows_self_evaluation(content: str) -> bool:
    """Whether stored rubric content (validated when it was stored) lets agents self-evaluate; cached, as
    the interaction page asks on every run and a version's content never changes."""
    data = yaml.safe_load(content)
    default = RubricSpec.model_fields["self_evaluation"].default
    return bool(data.get("self_evaluation", default)) if isinstance(data, dict) else default


def _refuse_aliases(text: str, source: str) -> None:
    """YAML aliases let a few lines stand for an exponentially large document (a "billion laughs"), which
    validating and hashing would expand; a rubric spells its content out."""
    try:
        for event in yaml.parse(text, Loader=yaml.SafeLoader):
            if isinstance(event, yaml.AliasEvent):
                where = f"line {event.start_mark.line + 1}" if event.start_mark else ""
                raise RubricInvalid(source, where, "YAML aliases (*name) are not allowed in a rubric")
    except yaml.YAMLError:
        return  # yaml.safe_load reports it with its line


def load_rubric(path: str | Path) -> Rubric:
    """Load and validate one rubric file."""
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except OSError as exc:
        raise RubricInvalid(str(p), "", f"cannot read file: {exc.strerror or exc}") from None
    return parse_rubric(text, source=str(p))


def rubrics_dir() -> Path:
    """Folder of the rubrics shipped with Callcoach (other folders are passed as arguments)."""
    return SHIPPED_RUBRICS_DIR


def is_rubric_file(path: Path) -> bool:
    """A YAML file whose top level has `sections` (rubrics/ also holds other data, e.g. topics.yaml)."""
    try:
        head = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError):
        return True  # let load_rubric report it
    return isinstance(head, dict) and "sections" in head


def shipped_rubric_paths(folder: Path | None = None) -> list[Path]:
    """Rubric files in `folder` (default rubrics_dir())."""
    return [p for p in sorted((folder or rubrics_dir()).glob("*.yaml")) if is_rubric_file(p)]


def load_shipped_rubrics() -> dict[str, Rubric]:
    """Every rubric in rubrics_dir(), by id."""
    rubrics = [load_rubric(p) for p in shipped_rubric_paths()]
    return {r.id: r for r in rubrics}


def default_rubric_for(channel: Channel) -> Rubric:
    """The first shipped rubric (by file name) that lists the channel."""
    for p in shipped_rubric_paths():
        rubric = load_rubric(p)
        if channel in rubric.spec.channels:
            return rubric
    raise LookupError(f"no shipped rubric applies to channel {channel!r}")


def _field_path(data: Any, loc: tuple[int | str, ...]) -> str:
    """`sections[0].criteria[greeting].detector.threshold`: list items by id when they have one,
    and pydantic's union tags (`phrases` in ...detector.phrases.threshold) dropped."""
    parts: list[str] = []
    node = data
    tag_next = False  # pydantic puts the union tag right after entering a `type:` mapping
    for key in loc:
        if tag_next and isinstance(node, dict) and node.get("type") == key:
            tag_next = False
            continue
        if isinstance(node, list) and isinstance(key, int):
            item = node[key] if 0 <= key < len(node) else None
            label = item.get("id") if isinstance(item, dict) else None
            parts.append(f"[{label if isinstance(label, str) else key}]")
            node = item
        elif isinstance(node, dict) and key in node:
            parts.append(f".{key}")
            node = node[key]
        else:
            parts.append(f".{key}" if isinstance(key, str) else f"[{key}]")
            node = None
        tag_next = isinstance(node, dict) and "type" in node
    return "".join(parts).lstrip(".")


def _check_consistency(spec: RubricSpec, source: str) -> None:
    seen_sections: set[str] = set()
    seen: set[str] = set()
    for si, section in enumerate(spec.sections):
        if section.id in seen_sections:
            raise RubricInvalid(source, f"sections[{si}].id", f"duplicate section id '{section.id}'")
        seen_sections.add(section.id)
        for criterion in section.criteria:
            base = f"sections[{section.id}].criteria[{criterion.id}]"
            if criterion.id in seen:
                raise RubricInvalid(source, f"{base}.id", f"duplicate criterion id '{criterion.id}'")
            seen.add(criterion.id)
            for path, name in _metric_refs(criterion):
                if name not in KNOWN_METRICS:
                    raise RubricInvalid(
                        source, f"{base}.{path}", f"unknown metric '{name}' (see docs/metrics.md)"
                    )
    for ti, case in enumerate(spec.tests):
        for cid in case.expect:
            if cid not in seen:
                raise RubricInvalid(source, f"tests[{ti}].expect.{cid}", f"no criterion with id '{cid}'")


def _metric_refs(criterion: CriterionSpec) -> Iterator[tuple[str, str]]:
    yield from _detector_metrics(criterion.detector.model_dump(), "detector")
    if criterion.applies_if is not None:
        yield from _condition_metrics(criterion.applies_if, "applies_if")


def _detector_metrics(d: dict[str, Any], path: str) -> Iterator[tuple[str, str]]:
    if d["type"] == "metric":
        for i, check in enumerate(d["checks"]):
            yield f"{path}.checks[{i}].metric", check["metric"]
    for i, sub in enumerate(d.get("detectors") or []):
        yield from _detector_metrics(sub, f"{path}.detectors[{i}]")


def _condition_metrics(c: Condition, path: str) -> Iterator[tuple[str, str]]:
    if c.metric is not None:
        yield f"{path}.metric.metric", c.metric.metric
    for i, sub in enumerate(c.any_of or []):
        yield from _condition_metrics(sub, f"{path}.any_of[{i}]")
