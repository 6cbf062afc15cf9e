"""Command line: `lrscope serve` starts the app, `lrscope eval spec.json` prints a curve,
`lrscope import train.py` prints the run spec a script or config builds, and
`lrscope compare spec.json trainer_state.json` holds a logged run against it."""

from __future__ import annotations

import argparse
import csv
import json
import sys
from pathlib import Path
from typing import Any


def _serve(args: argparse.Namespace) -> int:
    import uvicorn

    from lrscope.settings import Settings
    from lrscope.training.jobs.data_dir_lock import DataDirInUse, DataDirLock
    from lrscope.training.jobs.executor import ExecutorUnavailable
    from lrscope.web.app import create_app

    class AnnouncingServer(uvicorn.Server):
        """Prints the URL once the app has started and the socket listens, not before."""

        async def startup(self, sockets: Any = None) -> None:
            await super().startup(sockets)
            if self.started:
                print(f"lrscope is running at {url}  (API docs: {url}docs)", flush=True)
                _print_reachable(settings)

    settings = Settings.from_env(host=args.host, port=args.port, data_dir=args.data_dir)
    url = settings.url
    probe = DataDirLock(settings.data_dir)  # a clear refusal before torch loads (the app
    try:  # takes the lock for good when it starts)
        probe.acquire()
    except DataDirInUse as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    probe.release()
    try:
        app = create_app(settings)
    except ExecutorUnavailable as exc:  # LRSCOPE_JOB_BACKEND names one that cannot be had
        print(f"error: {exc}", file=sys.stderr)
        return 1
    config = uvicorn.Config(
        app,
        host=settings.host,
        port=settings.port,
        log_level="info",
        ws_max_size=1_000_000,
        # Connection limits (README "Limits"): at most this many connections, then 503;
        # an idle keep-alive connection closed after 5 s; with the h11 parser, headers
        # over 16 KiB refused (httptools has its own cap of 80 KiB).
        limit_concurrency=settings.max_connections,
        timeout_keep_alive=5,
        h11_max_incomplete_event_size=16_384,
        # X-Forwarded-For/-Proto are believed only from LRSCOPE_FORWARDED_ALLOW_IPS (none by
        # default: uvicorn's own default trusts 127.0.0.1, which would let any local
        # client pick its address and slip past the per-address job cap).
        proxy_headers=bool(settings.forwarded_allow_ips),
        forwarded_allow_ips=list(settings.forwarded_allow_ips) or None,
    )
    print("lrscope is starting (checking its fast paths against torch)...", flush=True)
    AnnouncingServer(config).run()
    return 0


def _print_reachable(settings: Any) -> None:
    """The URLs students can open, one a line (README "Serve a class")."""
    from lrscope.sharing import listens_on_all, student_urls

    urls = student_urls(settings, settings.port)
    if urls:
        print("Students on this network can open:", flush=True)
        for address in urls:
            print(f"  {address}", flush=True)
    elif listens_on_all(settings.host):
        print("No network address found: students cannot reach this machine.", flush=True)
    else:
        print("Only this machine can open it; to serve a class: --host 0.0.0.0", flush=True)


def _eval(args: argparse.Namespace) -> int:
    from lrscope.engine import evaluate
    from lrscope.errors import SpecError

    text = sys.stdin.read() if args.spec == "-" else Path(args.spec).read_text()
    try:
        spec = json.loads(text)
    except json.JSONDecodeError as exc:
        print(f"error: {args.spec} is not valid JSON: {exc}", file=sys.stderr)
        return 2
    if not isinstance(spec, dict):
        print("error: the spec must be a JSON object", file=sys.stderr)
        return 2
    if args.exact:
        spec["max_points"] = 0
    try:
        result = evaluate(spec)
    except SpecError as exc:
        for e in exc.errors:
            print(f"error: {'.'.join(map(str, e['loc']))}: {e['msg']}", file=sys.stderr)
        return 2
    for warning in result["warnings"]:
        print(f"warning: {warning}", file=sys.stderr)
    if args.format == "json":
        json.dump(result, sys.stdout)
        sys.stdout.write("\n")
    else:
        _write_csv(result)
    return 0


def _code(args: argparse.Namespace) -> int:
    """Print the PyTorch script of a run spec (what POST /api/code answers)."""
    from pydantic import ValidationError

    from lrscope.catalog import default_catalog
    from lrscope.codegen import render
    from lrscope.errors import SpecError
    from lrscope.settings import Limits
    from lrscope.spec import RunSpec, spec_error
    from lrscope.validation import resolve_run

    text = sys.stdin.read() if args.spec == "-" else Path(args.spec).read_text()
    try:
        try:
            run = RunSpec.model_validate_json(text)
        except ValidationError as exc:
            raise spec_error(exc) from exc
        sys.stdout.write(render(run, resolve_run(run, default_catalog(), Limits())))
    except SpecError as exc:
        for e in exc.errors:
            print(f"error: {'.'.join(map(str, e['loc']))}: {e['msg']}", file=sys.stderr)
        return 2
    return 0


def _named_value(text: str) -> tuple[str, Any]:
    name, eq, raw = text.partition("=")
    if not eq or not name:
        raise argparse.ArgumentTypeError(f"expected NAME=VALUE, got {text!r}")
    try:
        value = json.loads(raw)
    except json.JSONDecodeError:
        value = raw  # plain text, e.g. --value scheduler_type=cosine
    return name, value


def _import(args: argparse.Namespace) -> int:
    from lrscope.catalog import default_catalog
    from lrscope.errors import SpecError
    from lrscope.importing import import_text
    from lrscope.settings import Limits

    text = sys.stdin.read() if args.file == "-" else Path(args.file).read_text()
    try:
        result = import_text(text, dict(args.value or []), default_catalog(), Limits())
    except SpecError as exc:
        for e in exc.errors:
            print(f"error: {'.'.join(map(str, e['loc']))}: {e['msg']}", file=sys.stderr)
        return 2
    for warning in result["warnings"]:
        print(f"warning: {warning}", file=sys.stderr)
    print(f"format: {result['format']}", file=sys.stderr)
    json.dump(result["spec"], sys.stdout, indent=2)
    sys.stdout.write("\n")
    return 0


def _read_capped(path: str, limit: int) -> bytes | None:
    """A file's bytes, or None when it is over ``limit`` bytes (read no further)."""
    with open(path, "rb") as f:
        data = f.read(limit + 1)
    return None if len(data) > limit else data


def _compare(args: argparse.Namespace) -> int:
    from lrscope.errors import SpecError
    from lrscope.logs import compare_log
    from lrscope.settings import Limits

    limits = Limits()
    try:
        spec = json.loads(Path(args.spec).read_text())
        text = _read_capped(args.log, limits.max_log_bytes)
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if text is None:
        print(f"error: {args.log} is over {limits.max_log_bytes} bytes", file=sys.stderr)
        return 2
    try:
        out = compare_log(spec, text, args.log_format, limits=limits, group=args.group)
    except SpecError as exc:
        for e in exc.errors:
            print(f"error: {'.'.join(map(str, e['loc']))}: {e['msg']}", file=sys.stderr)
        return 2
    if args.json:
        json.dump(out, sys.stdout)
        sys.stdout.write("\n")
    else:
        _print_comparison(out)
    return 0 if out["agree"] else 1


def _print_comparison(out: dict[str, Any]) -> None:
    fit = out["fit"]
    verdict = "agree" if out["agree"] else "differ"
    print(f"{verdict}: {fit['matched']} of {fit['compared']} logged points match the spec "
          f"(format {out['format']}, relative tolerance {out['tolerance']['rtol']:g})")  # fmt: skip
    first = out["first_divergence"]
    if first is not None:
        print(f"first divergence: step {first['step']}: logged {first['logged']!r}, "
              f"predicted {first['predicted']!r}")  # fmt: skip
    if out["diagnosis"] is not None:
        print(f"diagnosis: {out['diagnosis']['msg']}")


def _write_csv(result: dict[str, Any]) -> None:
    groups = result["groups"]
    header = ["step", "epoch"]
    for g, group in enumerate(groups):
        header.append(f"lr_{g}")
        if group["momentum"] is not None:
            header.append(f"momentum_{g}")
    writer = csv.writer(sys.stdout, lineterminator="\n")
    writer.writerow(header)
    for i, (x, epoch) in enumerate(zip(result["x"], result["epoch"], strict=True)):
        row: list[Any] = [x, epoch]
        for group in groups:
            row.append(repr(group["lr"][i]))
            if group["momentum"] is not None:
                row.append(repr(group["momentum"][i]))
        writer.writerow(row)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="lrscope", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    serve = sub.add_parser("serve", help="start the web app")
    serve.add_argument("--host", help="address to bind (default 127.0.0.1, env LRSCOPE_HOST)")
    serve.add_argument("--port", type=int, help="port (default 8000, env LRSCOPE_PORT)")
    serve.add_argument("--data-dir", type=Path, help="where runs are stored (LRSCOPE_DATA_DIR)")
    serve.set_defaults(func=_serve)
    ev = sub.add_parser("eval", help="print the curve of a run spec (the /api/schedule JSON)")
    ev.add_argument("spec", help="path to a JSON spec, or - for standard input")
    fmt = ev.add_mutually_exclusive_group()
    fmt.add_argument(
        "--csv",
        dest="format",
        action="store_const",
        const="csv",
        help="one row per point (default)",
    )
    fmt.add_argument(
        "--json",
        dest="format",
        action="store_const",
        const="json",
        help="the /api/schedule response",
    )
    ev.add_argument("--exact", action="store_true", help="every point (max_points = 0)")
    ev.set_defaults(func=_eval, format="csv")
    code = sub.add_parser("code", help="print the PyTorch script of a run spec (/api/code)")
    code.add_argument("spec", help="path to a JSON spec, or - for standard input")
    code.set_defaults(func=_code)
    _add_import_and_compare(sub)
    return parser


def _add_import_and_compare(sub: Any) -> None:
    """The subcommands that read the user's own files: their code, their logged run."""
    imp = sub.add_parser(
        "import",
        help="print the run spec that a PyTorch script, Lightning/Hydra config or "
        "HF TrainingArguments build (parsed, never run)",
    )
    imp.add_argument("file", help="path to the code or config, or - for standard input")
    imp.add_argument(
        "--value",
        action="append",
        type=_named_value,
        metavar="NAME=V",
        help="the value of a name the text leaves open, e.g. --value 'len(train_loader)=391'",
    )
    imp.set_defaults(func=_import)
    cmp = sub.add_parser(
        "compare",
        help="hold a logged run against a spec's curve (exit 0 agree, 1 differ, 2 bad input)",
    )
    cmp.add_argument("spec", help="path to a JSON run spec")
    cmp.add_argument("log", help="trainer_state.json, a TensorBoard/W&B CSV or JSON, metrics.csv")
    cmp.add_argument(
        "--format",
        dest="log_format",
        default="auto",
        help="hf_trainer_state, tensorboard_csv, tensorboard_json, tensorboard_events, "
        "wandb_csv, lightning_csv "
        "(default: detected)",
    )
    cmp.add_argument("--group", type=int, default=0, help="param group the log holds")
    cmp.add_argument("--json", action="store_true", help="the /api/compare answer")
    cmp.set_defaults(func=_compare)


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return int(args.func(args))
