"""Reproducible training of the small heads that sit on top of the shared encoder."""
