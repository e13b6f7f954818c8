"""Rubrics: YAML scorecards, their schema and versions, detectors and the evaluator."""

from scoring.rubric.embeddings import Encoder, example_index, semantic_examples
from scoring.rubric.errors import RubricInvalid
from scoring.rubric.evaluator import applies, evaluate, evaluate_many, needs_embeddings
from scoring.rubric.loader import (
    KNOWN_METRICS,
    Rubric,
    default_rubric_for,
    is_rubric_file,
    load_rubric,
    load_shipped_rubrics,
    parse_rubric,
    rubric_version,
    rubrics_dir,
    shipped_rubric_paths,
)
from scoring.rubric.patterns import PatternTimeout, check_pattern
from scoring.rubric.results import CriterionResult, Evaluation, Evidence, SectionScore
from scoring.rubric.schema import CriterionSpec, Result, RubricSpec, RubricTestCase, SectionSpec
from scoring.rubric.testing import (
    CaseCheck,
    RubricTestReport,
    WordHashEncoder,
    case_conversation,
    run_rubric_tests,
)
from scoring.rubric.text import normalize
from scoring.rubric.totals import SectionWeight, Totals, compute_totals, points_for

__all__ = [
    "KNOWN_METRICS",
    "CaseCheck",
    "CriterionResult",
    "CriterionSpec",
    "Encoder",
    "Evaluation",
    "Evidence",
    "PatternTimeout",
    "Result",
    "Rubric",
    "RubricInvalid",
    "RubricSpec",
    "RubricTestCase",
    "RubricTestReport",
    "SectionScore",
    "SectionSpec",
    "SectionWeight",
    "Totals",
    "WordHashEncoder",
    "applies",
    "case_conversation",
    "check_pattern",
    "compute_totals",
    "default_rubric_for",
    "evaluate",
    "evaluate_many",
    "example_index",
    "is_rubric_file",
    "load_rubric",
    "load_shipped_rubrics",
    "needs_embeddings",
    "normalize",
    "parse_rubric",
    "points_for",
    "rubric_version",
    "rubrics_dir",
    "run_rubric_tests",
    "semantic_examples",
    "shipped_rubric_paths",
]
