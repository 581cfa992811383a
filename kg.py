"""kg: the dossier-kg command line. Thin: parse options, call one library function, print, exit.

Exit codes: 0 ok, 1 warnings treated as errors (--strict) or data does not conform, 2 usage error,
3 input or runtime failure.
"""

from __future__ import annotations

import atexit
import gc
import json
import sys
from pathlib import Path

import click

from dossierkg import __version__
from dossierkg.paths import BUILD, DOSSIER

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE, EXIT_INPUT = 0, 1, 2, 3


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="kg")
@click.pass_context
def cli(ctx: click.Context) -> None:
    """dossier-kg: a linked-data knowledge graph of a Dutch parliamentary policy dossier."""
    if ctx.invoked_subcommand != "build":  # (kg build: once its modules are imported)
        _imported()


def _imported() -> None:
    """The collector on again, if the kg command started with it off (dossierkg/__main__.py), with what the
    imports made frozen: no collection walks it again."""
    if not gc.isenabled():
        gc.freeze()
        gc.enable()


@cli.command("parse")
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False))
@click.option("--json", "as_json", is_flag=True, help="Print the records contract as JSON.")
@click.option("--strict", is_flag=True, help="Treat warnings as errors (exit 1).")
def parse_cmd(files: tuple[str, ...], as_json: bool, strict: bool) -> None:
    """Read source documents into records (kind, dates, people, questions, answers, footnotes, references)."""
    from dossierkg.parse import parse_file
    from dossierkg.summary import document_summary

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


@cli.command("build")
@click.option("--dossier", type=click.Path(file_okay=False, exists=True, path_type=Path), default=DOSSIER,
              show_default=True, help="Folder of source texts (*.txt).")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=BUILD, show_default=True,
              help="Output folder for the exports and the embedded store.")
@click.option("--base", default=None, help="Base IRI for minted resources [default: DOSSIER_KG_BASE or "
              "https://w3id.org/dossier-kg/id/].")
@click.option("--no-validate", is_flag=True, help="Skip SHACL validation.")
@click.option("--engine", type=click.Choice(["fast", "pyshacl"]), default="fast", show_default=True,
              help="SHACL validation: the shapes compiled to SPARQL (fast), or pySHACL itself (same results).")
@click.option("--timings", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Write where the time went to this JSON file: seconds per stage, CPU seconds per part.")
def build_cmd(dossier: Path, out: Path, base: str | None, no_validate: bool, engine: str,
              timings: Path | None) -> None:
    """Parse, resolve, map and validate the dossier; write dossier.trig/.ttl/.nq/.jsonld and load the store."""
    from dossierkg.build import build
    from dossierkg.curation import CurationError
    from dossierkg.links import LinkError
    from dossierkg.progress import progress_bar
    from dossierkg.summary import build_summary

    _imported()
    try:
        with progress_bar() as progress:
            built = build(dossier, out, base=base, validate=not no_validate, progress=progress, engine=engine)
    except (CurationError, LinkError) as exc:
        click.echo(f"kg build: {exc}; nothing written, the previous build is kept", err=True)
        sys.exit(EXIT_INPUT)
    except ValueError as exc:
        raise click.UsageError(str(exc)) from None
    click.echo(build_summary(built))
    if timings is not None:
        from dossierkg.export import write_atomically

        try:
            write_atomically({timings: built.timings.json()}, sync=False)  # a measurement: not worth a sync's wait
        except OSError as exc:
            click.echo(f"kg build: {timings}: cannot write the timings: {exc.strerror}", err=True)
            sys.exit(EXIT_USAGE)
    if built.failed:
        sys.exit(EXIT_INPUT)
    if built.report is not None and not built.report.conforms:
        sys.exit(EXIT_FINDINGS)


@cli.command("validate")
@click.argument("file", required=False, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["text", "ttl"]), default="text", show_default=True,
              help="Readable text, or the SHACL report graph in Turtle.")
@click.option("--engine", type=click.Choice(["fast", "pyshacl"]), default="fast", show_default=True,
              help="The shapes compiled to SPARQL (fast), or pySHACL itself (same results).")
def validate_cmd(file: Path | None, fmt: str, engine: str) -> None:
    """SHACL report for FILE (TriG, Turtle, N-Quads, JSON-LD) or for the last build; exit 1 if it does not conform."""
    from dossierkg.export import UnreadableGraph, load_quads
    from dossierkg.validate import validate_quads

    path = file or BUILD / "dossier.trig"
    if not path.exists():
        click.echo(f"kg validate: {path}: no such file" + ("" if file else " (run `kg build` first)"), err=True)
        sys.exit(EXIT_INPUT)
    try:
        quads = load_quads(path)
    except UnreadableGraph as exc:
        click.echo(f"kg validate: {exc}", err=True)
        sys.exit(EXIT_INPUT)
    report = validate_quads(quads, engine=engine)
    if fmt == "ttl":
        click.echo(report.graph.serialize(format="turtle"))
    else:
        click.echo(report.text)
    sys.exit(EXIT_OK if report.conforms else EXIT_FINDINGS)


@cli.command("export")
@click.option("--format", "fmt", type=click.Choice(["ttl", "trig", "nq", "nt", "jsonld"]), default="trig",
              show_default=True)
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Write to this file (atomically) instead of standard output.")
def export_cmd(fmt: str, out: Path | None) -> None:
    """Serialise the last build in another format (deterministic, sorted)."""
    from dossierkg.export import UnreadableGraph, load_quads, serialise, write_atomically

    source = BUILD / "dossier.nq"
    if not source.exists():
        click.echo(f"kg export: {source}: no build (run `kg build` first)", err=True)
        sys.exit(EXIT_INPUT)
    try:
        data = serialise(load_quads(source), fmt)
    except UnreadableGraph as exc:
        click.echo(f"kg export: {exc}", err=True)
        sys.exit(EXIT_INPUT)
    if out:
        write_atomically({out: data})
        click.echo(f"wrote {out}", err=True)
    else:
        click.echo(data.decode("utf-8"), nl=False)


FORMATS = ["table", "csv", "json", "md"]


def _default_format() -> str:
    return "table" if sys.stdout.isatty() else "csv"


def _store_or_exit(kind: str | None = None, build_dir: Path = BUILD):
    from dossierkg.store import open_memory, open_store

    try:
        return open_memory(build_dir) if kind == "memory" else open_store(build_dir)
    except (FileNotFoundError, OSError) as exc:
        click.echo(f"kg: {exc}", err=True)
        sys.exit(EXIT_INPUT)


def _print_results(results, fmt: str | None, who: str) -> None:
    click.echo(results.render(fmt or _default_format()), nl=False)
    for w in results.warnings:
        click.echo(f"{who}: warning: {w}", err=True)


def _params(pairs: tuple[str, ...]) -> dict[str, str]:
    out = {}
    for pair in pairs:
        if "=" not in pair:
            raise click.BadParameter(f"{pair!r}: use key=value", param_hint="-p")
        key, value = pair.split("=", 1)
        out[key.strip()] = value
    return out


@cli.command("queries")
@click.option("--verbose", "-v", is_flag=True, help="Also show each query's description and parameters.")
def queries_cmd(verbose: bool) -> None:
    """List the canned queries (queries/*.rq)."""
    from dossierkg.queries import discover

    for name, q in discover().items():
        click.echo(f"{name:34} {q.title}")
        if verbose:
            if q.description:
                click.echo(f"{'':34} {q.description}")
            for p in q.params:
                default = "required" if p.required else (f"default {p.default}" if p.default else "optional")
                click.echo(f"{'':34} -p {p.name}=<{p.type}>  {p.description} ({default})")


@cli.command("query")
@click.argument("name")
@click.option("-p", "--param", "params", multiple=True, metavar="KEY=VALUE", help="A parameter value.")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default=None,
              help="Output format [default: table on a terminal, else csv].")
@click.option("--endpoint", default=None, metavar="URL", help="Run on this SPARQL 1.1 endpoint instead of the store.")
@click.option("--timeout", type=float, default=30.0, show_default=True, help="Seconds to wait for an endpoint.")
@click.option("--store", "store_kind", type=click.Choice(["embedded", "memory"]), default=None,
              help="Local store: embedded Oxigraph (default) or an rdflib in-memory dataset of build/dossier.trig.")
@click.option("--describe", is_flag=True, help="Describe the query (title, description, parameters) and stop.")
def query_cmd(name: str, params: tuple[str, ...], fmt: str | None, endpoint: str | None, timeout: float,
              store_kind: str | None, describe: bool) -> None:
    """Run the canned query NAME on the embedded store (or --endpoint)."""
    from dossierkg.queries import QueryError, get, run

    try:
        q = get(name)
    except QueryError as exc:
        raise click.UsageError(str(exc)) from None
    if describe:
        click.echo(f"{q.name}: {q.title}\n{q.description}")
        for p in q.params:
            default = "required" if p.required else (f"default {p.default}" if p.default else "optional")
            click.echo(f"  -p {p.name}=<{p.type}>  {p.description} ({default})")
        return
    try:
        if endpoint and store_kind:
            raise click.UsageError("--store and --endpoint exclude each other")
        results = run(q, _params(params), store=None if endpoint else _store_or_exit(store_kind), endpoint=endpoint,
                      timeout=timeout)
    except QueryError as exc:
        click.echo(f"kg query {name}: {exc}", err=True)
        sys.exit(EXIT_INPUT if endpoint else EXIT_USAGE)
    _print_results(results, fmt, f"kg query {name}")


@cli.command("sparql")
@click.argument("query", required=False)
@click.option("--file", "file", type=click.Path(dir_okay=False, exists=True, path_type=Path), help="Read the query from F.")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default=None,
              help="Output format [default: table on a terminal, else csv].")
@click.option("--endpoint", default=None, metavar="URL", help="Run on this SPARQL 1.1 endpoint instead of the store.")
@click.option("--timeout", type=float, default=30.0, show_default=True, help="Seconds to wait for an endpoint.")
@click.option("--store", "store_kind", type=click.Choice(["embedded", "memory"]), default=None,
              help="Local store: embedded Oxigraph (default) or an rdflib in-memory dataset of build/dossier.trig.")
def sparql_cmd(query: str | None, file: Path | None, fmt: str | None, endpoint: str | None, timeout: float,
               store_kind: str | None) -> None:
    """Run an ad-hoc SPARQL SELECT or ASK query (QUERY or --file F)."""
    from dossierkg.queries import QueryError, run_local
    from dossierkg.store import remote_select

    if (query is None) == (file is None):
        raise click.UsageError("give a QUERY or --file F (one of them)")
    text = query if query is not None else file.read_text(encoding="utf-8")
    if endpoint and store_kind:
        raise click.UsageError("--store and --endpoint exclude each other")
    try:
        results = remote_select(endpoint, text, timeout) if endpoint else run_local(_store_or_exit(store_kind), text, {})
    except QueryError as exc:
        click.echo(f"kg sparql: {exc}", err=True)
        sys.exit(EXIT_INPUT if endpoint else EXIT_USAGE)
    _print_results(results, fmt, "kg sparql")


@cli.command("check")
@click.option("--endpoint", default=None, metavar="URL", help="Run the checks on this SPARQL endpoint.")
def check_cmd(endpoint: str | None) -> None:
    """Run every *-violation query; exit 1 when any returns rows."""
    from dossierkg.queries import QueryError, discover, run

    store = None if endpoint else _store_or_exit()
    failed = 0
    for name, q in discover().items():
        if not q.is_check:
            continue
        try:
            results = run(q, {}, store=store, endpoint=endpoint)
        except QueryError as exc:
            click.echo(f"kg check: {name}: {exc}", err=True)
            sys.exit(EXIT_INPUT)
        n = len(results.bindings)
        failed += n > 0
        click.echo(f"{'FAIL' if n else 'ok  '} {name}: {n} row{'s' if n != 1 else ''} — {q.title}")
        if n:
            click.echo(results.to_table(), nl=False)
    sys.exit(EXIT_FINDINGS if failed else EXIT_OK)


@cli.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to bind (127.0.0.1: this machine only).")
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True, help="Port to listen on.")
@click.option("--timeout", type=click.FloatRange(min=0.1), default=10.0, show_default=True,
              help="Time limit per query in seconds; a query that runs longer is stopped (503).")
@click.option("--max-rows", type=click.IntRange(min=1), default=10_000, show_default=True,
              help="Row cap: at most this many solutions or triples per answer (X-Truncated: true beyond).")
@click.option("--build", "build_dir", type=click.Path(file_okay=False, path_type=Path), default=BUILD,
              show_default=True, help="Build folder whose store (DIR/store) is served.")
@click.option("--dossier", type=click.Path(file_okay=False, path_type=Path), default=DOSSIER, show_default=True,
              help="Folder of the source texts, for the passages shown on resource pages.")
@click.option("--base", default=None, help="Base IRI of the build's resources, served at /id/… "
              "[default: read from the store, else DOSSIER_KG_BASE or https://w3id.org/dossier-kg/id/].")
@click.option("--workers", type=click.IntRange(min=1, max=64), default=None,
              help="Query worker processes [default: the number of CPUs, 2 to 8].")
@click.option("--cache-mb", type=click.IntRange(min=0), default=64, show_default=True,
              help="Memory for answers already given (the store does not change while served); 0: every request "
              "runs its query.")
@click.option("--log-level", type=click.Choice(["critical", "error", "warning", "info", "debug"]), default="info",
              show_default=True)
def serve_cmd(host: str, port: int, timeout: float, max_rows: int, build_dir: Path, dossier: Path, base: str | None,
              workers: int | None, cache_mb: int, log_level: str) -> None:
    """Serve the store read-only: SPARQL endpoint (/sparql), query page (/query), overview (/), IRIs (/id/…)."""
    from dossierkg.serve import ServeError, serve, settings_for

    try:
        settings = settings_for(build_dir, dossier, base, timeout, max_rows, workers, cache_mb)
    except ServeError as exc:
        click.echo(f"kg serve: {exc}", err=True)
        sys.exit(EXIT_INPUT)
    serve(settings, host=host, port=port, log_level=log_level)


@cli.command("push")
@click.option("--endpoint", required=True, metavar="URL",
              help="The store's SPARQL query URL (triple counts, server discovery, key of the push state).")
@click.option("--update-url", default=None, metavar="URL", help="SPARQL Update URL (used when there is no GSP URL).")
@click.option("--gsp-url", default=None, metavar="URL", help="Graph Store Protocol URL: one PUT per named graph "
              "[default: known for Oxigraph, Virtuoso and Fuseki, else SPARQL Update].")
@click.option("--build", "build_dir", type=click.Path(file_okay=False, path_type=Path), default=BUILD,
              show_default=True, help="Build folder to push (DIR/dossier.nq; the push state is DIR/push-state.json).")
@click.option("--user", default=None, help="User name for HTTP authentication.")
@click.option("--password-env", default=None, metavar="VAR", help="Environment variable holding the password.")
@click.option("--auth", type=click.Choice(["auto", "digest", "basic"]), default="auto", show_default=True,
              help="HTTP authentication scheme (auto: whatever the server asks for; Virtuoso asks for digest).")
@click.option("--graph-param", type=click.Choice(["graph", "graph-uri"]), default="graph", show_default=True,
              help="GSP query parameter naming the graph (older Virtuoso releases want graph-uri).")
@click.option("--timeout", type=click.FloatRange(min=0.01), default=60.0, show_default=True,
              help="Seconds to wait for each request.")
@click.option("--retries", type=click.IntRange(min=0), default=3, show_default=True,
              help="Retries after connection errors, timeouts, HTTP 5xx and 429 (exponential back-off).")
@click.option("--force", is_flag=True, help="Send every graph, also those the server already holds unchanged.")
@click.option("--no-bulk", is_flag=True, help="Send every graph in a request of its own, also the graphs an "
              "Oxigraph server does not hold yet (by default they go by its bulk loader, many graphs per request).")
def push_cmd(endpoint: str, update_url: str | None, gsp_url: str | None, build_dir: Path, user: str | None,
             password_env: str | None, auth: str, graph_param: str, timeout: float, retries: int, force: bool,
             no_bulk: bool) -> None:
    """Load the build's named graphs into a SPARQL 1.1 store, verify their triple counts (exit 3 on failure)."""
    import os

    from dossierkg.push import PushError, PushUsageError, Target, push

    if (user is None) != (password_env is None):
        raise click.UsageError("--user and --password-env go together")
    password = None
    if password_env:
        password = os.environ.get(password_env)
        if password is None:
            raise click.UsageError(f"the environment variable {password_env} (--password-env) is not set")
    target = Target(endpoint, update_url, gsp_url, user, password, auth, timeout, retries, graph_param)
    try:
        report = push(build_dir, target, force=force, log=lambda m: click.echo(m, err=True), bulk=not no_bulk)
    except PushUsageError as exc:
        raise click.UsageError(str(exc)) from None
    except PushError as exc:
        click.echo(f"kg push: {exc}", err=True)
        sys.exit(EXIT_INPUT)
    how = "Graph Store Protocol" if report.protocol == "gsp" else "SPARQL Update"
    if report.bulk:
        rest = len(report.sent) - len(report.bulk)
        how = "Oxigraph's bulk loader" + (f" (new graphs) and {how} ({rest} graph{'s' if rest != 1 else ''})"
                                          if rest else "")
    click.echo(f"kg push: {report.endpoint} via {how} at {report.url}")
    for iri in report.sent:
        click.echo(f"  sent     {report.counts[iri]:>7}  {iri}")
    for iri in report.dropped:
        click.echo(f"  dropped  {'':>7}  {iri}")
    click.echo(report.summary())


@cli.command("link")
@click.option("--missing", is_flag=True, help="List persons, parties and organisations without any link.")
@click.option("--endpoint", default=None, metavar="URL",
              help="Reconcile the build's persons, parties and organisations against this SPARQL endpoint "
              "(Wikidata-shaped data): a ranked table of candidates with their evidence.")
@click.option("--min", "minimum", type=click.FloatRange(0, 1), default=0.5, show_default=True,
              help="Show and propose only candidates scoring at least this.")
@click.option("--margin", type=click.FloatRange(0, 1), default=0.1, show_default=True,
              help="The best candidate is proposed only when it beats the second by this much.")
@click.option("--apply", "apply_", is_flag=True,
              help="Append the proposals to the links file as skos:closeMatch rows with their evidence.")
@click.option("--links", "links_file", type=click.Path(dir_okay=False, path_type=Path), default=DOSSIER / "links.csv",
              show_default="dossier/links.csv", help="The curated links file (read, and written by --apply).")
@click.option("--timeout", type=float, default=30.0, show_default=True, help="Seconds per query to the endpoint.")
def link_cmd(missing: bool, endpoint: str | None, minimum: float, margin: float, apply_: bool, links_file: Path,
             timeout: float) -> None:
    """Links into open-government data: list what has no link yet (--missing), or reconcile against a
    Wikidata-shaped SPARQL endpoint (--endpoint URL [--apply]); curated links live in dossier/links.csv."""
    from dossierkg.links import LinkError, missing_links

    if missing == bool(endpoint):
        raise click.UsageError("say what to do: --missing, or --endpoint URL [--apply]")
    if apply_ and not endpoint:
        raise click.UsageError("--apply needs --endpoint URL")
    if missing:
        rows = missing_links(_store_or_exit())
        for r in rows:
            click.echo(f"{r['kind']:13} {r['label']:40} {r['entity']}")
        click.echo(f"({len(rows)} without a link; add them to dossier/links.csv with their evidence)", err=True)
        return
    from dossierkg.paths import ONTOLOGY
    from dossierkg.queries import QueryError
    from dossierkg.reconcile import apply, build_base, checks, read_aliases, reconcile, table
    from dossierkg.store import redact

    store, notes = _store_or_exit(), []
    try:
        outcomes = reconcile(store, build_base(store), endpoint, links_file, minimum, margin, timeout,
                             read_aliases(ONTOLOGY / "organisations.csv"), notes=notes)
    except QueryError as exc:
        click.echo(f"kg link: {exc}", err=True)
        sys.exit(EXIT_INPUT)
    except LinkError as exc:
        click.echo(f"kg link: {exc}", err=True)
        sys.exit(EXIT_INPUT)
    click.echo(table(outcomes, minimum))
    click.echo(checks(outcomes), nl=False)
    for note in notes:
        click.echo(f"kg link: warning: {note}", err=True)
    proposed = [o for o in outcomes if o.proposal]
    ambiguous = sum(1 for o in outcomes if o.candidates and o.candidates[0].status == "ambiguous")
    none = sum(1 for o in outcomes if not o.curated and not o.candidates)
    click.echo(f"kg link: {redact(endpoint)}: {len(proposed)} proposed (skos:closeMatch, for review), {ambiguous} "
               f"ambiguous, {none} without a candidate scoring {minimum:.2f} or more; "
               f"{sum(1 for o in outcomes if o.curated)} already linked", err=True)
    if not apply_:
        if proposed:
            click.echo(f"kg link: --apply appends the proposals to {links_file}", err=True)
        return
    try:
        added = apply(links_file, outcomes, endpoint)
    except (LinkError, OSError) as exc:
        click.echo(f"kg link: {exc}; {links_file} is unchanged", err=True)
        sys.exit(EXIT_INPUT)
    for row in added:
        click.echo(f"added  {row[0]}  {row[1]}  {row[2]}")
    click.echo(f"kg link: {len(added)} row{'s' if len(added) != 1 else ''} added to {links_file}"
               + ("" if added else " (nothing new)"), err=True)


@cli.command("audit")
@click.option("--dossier", type=click.Path(file_okay=False, path_type=Path), default=DOSSIER, show_default=True,
              help="Folder with the sources as they are now.")
@click.option("--build", "build_dir", type=click.Path(file_okay=False, path_type=Path), default=BUILD,
              show_default=True, help="The build to read (kg build --out).")
def audit_cmd(dossier: Path, build_dir: Path) -> None:
    """Check the build against the sources now: sha256 of every file, every span's text, quotations; exit 1
    when anything changed or a quotation cannot be found."""
    from dossierkg.audit import audit

    sources, spans, findings = audit(_store_or_exit(build_dir=build_dir), dossier)
    for f in findings:
        click.echo(f.describe())
    click.echo(f"audit: {sources} sources, {spans} spans checked, {len(findings)} finding(s)")
    sys.exit(EXIT_FINDINGS if findings else EXIT_OK)


@cli.command("explain")
@click.argument("target")
@click.option("--dossier", type=click.Path(file_okay=False, path_type=Path), default=DOSSIER, show_default=True,
              help="Folder with the sources.")
@click.option("--build", "build_dir", type=click.Path(file_okay=False, path_type=Path), default=BUILD,
              show_default=True, help="The build to read (kg build --out).")
def explain_cmd(target: str, dossier: Path, build_dir: Path) -> None:
    """Every fact about TARGET (an IRI, or a label such as '2023Z00468 antwoord 2') with the source passages
    it comes from and the build that produced it."""
    from dossierkg.explain import ExplainError, explain
    from dossierkg.summary import explanation_text

    try:
        ex = explain(_store_or_exit(build_dir=build_dir), target, dossier)
    except ExplainError as exc:
        click.echo(f"kg explain: {exc}", err=True)
        sys.exit(EXIT_INPUT)
    click.echo(explanation_text(ex, color=sys.stdout.isatty()))


@cli.command("report")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="The HTML file to write (atomically) [default: BUILD/report.html].")
@click.option("--build", "build_dir", type=click.Path(file_okay=False, path_type=Path), default=BUILD,
              show_default=True, help="The build to report on (kg build --out).")
@click.option("--dossier", type=click.Path(file_okay=False, path_type=Path), default=DOSSIER, show_default=True,
              help="Folder with the sources, for the passages shown in the report.")
def report_cmd(out: Path | None, build_dir: Path, dossier: Path) -> None:
    """One self-contained HTML page about the dossier: timeline and citation network (inline SVG), response
    times, quotations, reused text, each finding with its source passage. No scripts, nothing fetched."""
    from dossierkg.report import write_report

    target = out or build_dir / "report.html"
    if target.is_dir():
        raise click.UsageError(f"--out {target}: a directory; give a file name")
    size = write_report(_store_or_exit(build_dir=build_dir), dossier, target)
    click.echo(f"wrote {target} ({size:,} bytes)")


def main() -> None:
    # Python's collector walks every object still alive once more on the way out (~0.03 s after an incremental
    # build of 1,000 documents, whose results are alive until the end); what lives at exit is left to the OS.
    atexit.register(gc.freeze)
    cli()


if __name__ == "__main__":
    main()
