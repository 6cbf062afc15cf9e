"""The page's language tables as text: a language's file plus the parts it merges in
(``zh.js`` spreads ``zh-explain.js`` and ``zh-server.js``), one line per string."""

from __future__ import annotations

from pathlib import Path

I18N = (
    Path(__file__).resolve().parents[2] / "backend" / "lrscope" / "web" / "static" / "js" / "i18n"
)


def table_text(language: str) -> str:
    paths = [I18N / f"{language}.js", *sorted(I18N.glob(f"{language}-*.js"))]
    return "\n".join(path.read_text() for path in paths)
