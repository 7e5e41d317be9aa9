"""The command-line parser the scripts share: their module docstring is their help."""

from __future__ import annotations

import argparse


def docstring_parser(module: str, doc: str | None) -> argparse.ArgumentParser:
    """A parser for `python -m module` whose help is the module's docstring: its first paragraph
    as the description, its usage examples (the second paragraph) left to argparse's own usage
    line, and the rest, as written, after the options."""
    paragraphs = (doc or "").split("\n\n", 2)
    return argparse.ArgumentParser(
        prog=f"python -m {module}",
        description=paragraphs[0],
        epilog=paragraphs[2] if len(paragraphs) > 2 else None,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
