"""Scorecards edited in the coaching view: drafts, their impact preview, publishing and history."""
