"""kg: the dossier-kg command line. Thin: parse options, call one library function, print, exit.

Exit codes: 0 ok, 1 warnings treated as errors (--strict) or data does not conform, 2 usage error,
3 input or runtime failure.
"""

from __future__ import annotations

import json
import sys

import click

from dossierkg import __version__
from dossierkg.parse import parse_file
from dossierkg.summary import document_summary

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE, EXIT_INPUT = 0, 1, 2, 3


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="kg")
def cli() -> None:
    """dossier-kg: a linked-data knowledge graph of a Dutch parliamentary policy dossier."""


@cli.command("parse")
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False))
@click.option("--json", "as_json", is_flag=True, help="Print the records contract as JSON.")
@click.option("--strict", is_flag=True, help="Treat warnings as errors (exit 1).")
def parse_cmd(files: tuple[str, ...], as_json: bool, strict: bool) -> None:
    """Read source documents into records (kind, dates, people, questions, answers, footnotes, references)."""
    docs = [parse_file(f) for f in files]
    if as_json:
        click.echo(json.dumps({"documents": [d.to_json() for d in docs]}, ensure_ascii=False, indent=2))
    else:
        click.echo("\n\n".join(document_summary(d) for d in docs))
    failed = [d for d in docs if d.errors]
    for d in failed:
        for p in d.errors:
            where = f"{d.source}:{p.line}" if p.line else d.source
            click.echo(f"kg parse: {where}: {p.message}", err=True)
    if failed:
        sys.exit(EXIT_INPUT)
    if strict and any(d.warnings for d in docs):
        sys.exit(EXIT_FINDINGS)


def main() -> None:
    cli()


if __name__ == "__main__":
    main()
