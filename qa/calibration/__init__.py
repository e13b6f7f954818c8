"""Calibration sessions: reviewers score the same interactions blind, then their answers are compared."""
