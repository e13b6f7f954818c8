"""`python -m qa.cli.main` runs the CLI (used to start child processes with the same interpreter)."""

from qa.cli import app

if __name__ == "__main__":
    app()
