"""Build the compiled catalogues: `python -m elevator.core.catalogue` (or `make messages`).

Reads each language's elevator.po (and, while work is split, the YAML parts under
elevator/locale/parts: `key: [zh, en]`), refuses an entry that lacks either language,
and writes elevator.mo with Babel.  Babel is a build and test tool, not a run-time
dependency: the app and the CLI read the .mo with the standard library.
"""

from __future__ import annotations

import io
import sys
from pathlib import Path

from elevator.core.text import DOMAIN, LANGS, LOCALE


def po_path(lang: str) -> Path:
    return LOCALE / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


def mo_path(lang: str) -> Path:
    return LOCALE / lang / "LC_MESSAGES" / f"{DOMAIN}.mo"


def read_po(lang: str):
    from babel.messages.pofile import read_po as babel_read_po

    with open(po_path(lang), "rb") as fh:
        return babel_read_po(fh, locale=lang if lang == "en" else "zh_Hans_CN")


def part_entries() -> dict[str, tuple[str, str]]:
    """key -> (zh, en) from the YAML parts (a working arrangement; folded into the .po)."""
    import yaml

    out: dict[str, tuple[str, str]] = {}
    for path in sorted((LOCALE / "parts").glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for key, value in data.items():
            if key in out:
                raise ValueError(f"{path.name}: {key} is defined twice")
            zh, en = value
            out[str(key)] = (str(zh), str(en))
    return out


def entries(lang: str) -> dict[str, str]:
    """Every key and its text in one language: the .po plus the parts."""
    out = {m.id: m.string for m in read_po(lang) if m.id}
    index = LANGS.index(lang)
    for key, pair in part_entries().items():
        if key in out:
            raise ValueError(f"{key} is in {po_path(lang).name} and in a part")
        out[key] = pair[index]
    return out


def compiled(lang: str) -> bytes:
    from babel.messages.catalog import Catalog
    from babel.messages.mofile import write_mo

    catalog = Catalog(locale=lang if lang == "en" else "zh_Hans_CN", domain=DOMAIN)
    for key, words in sorted(entries(lang).items()):
        if not words:
            raise ValueError(f"{lang}: {key} has no text")
        catalog.add(key, words)
    buf = io.BytesIO()
    write_mo(buf, catalog)
    return buf.getvalue()


def fold_parts() -> int:
    """Move the YAML parts into the .po files (one catalogue per language) and delete them."""
    from babel.messages.pofile import write_po

    parts = part_entries()
    for i, lang in enumerate(LANGS):
        catalog = read_po(lang)
        for key, pair in sorted(parts.items()):
            catalog.add(key, pair[i])
        with open(po_path(lang), "wb") as fh:
            write_po(fh, catalog, width=100, sort_output=True, omit_header=False)
    for path in (LOCALE / "parts").glob("*.yaml"):
        path.unlink()
    return len(parts)


GLOSSARY_MD = LOCALE.parents[1] / "docs" / "glossary.md"


def glossary_md() -> str:
    """docs/glossary.md: each concept, its words in both languages, the words it avoids."""
    import fnmatch

    import yaml

    concepts = yaml.safe_load((LOCALE / "glossary.yaml").read_text(encoding="utf-8"))
    zh, en = entries("zh"), entries("en")
    out = [
        f"# {zh['glossary.title']} / {en['glossary.title']}",
        "",
        "One word per concept. Written by `python -m elevator.core.catalogue` from",
        "`elevator/locale/glossary.yaml` and the text catalogue; do not edit by hand.",
        "",
    ]
    for concept, spec in concepts["concepts"].items():
        out += [f"## {concept}", "", spec["means"], ""]
        avoid = spec.get("avoid_zh", []) + spec.get("avoid_en", [])
        if avoid:
            out += ["Not: " + ", ".join(avoid), ""]
        if spec["keys"] != "scheme.*":  # schemes are listed by `elevator schemes`
            head = [en["glossary.key"], zh["glossary.zh"], en["glossary.en"]]
            out += ["| " + " | ".join(head) + " |", "|---|---|---|"]
            for key in sorted(k for k in zh if fnmatch.fnmatch(k, spec["keys"])):
                out.append(f"| `{key}` | {zh[key]} | {en[key]} |")
            out.append("")
    return "\n".join(out)


def _write_atomically(target: Path, data: bytes) -> None:
    import os
    import tempfile

    # written aside and renamed: a reader never sees half a file
    fd, tmp = tempfile.mkstemp(dir=target.parent, suffix=".tmp")
    with os.fdopen(fd, "wb") as fh:
        fh.write(data)
    os.replace(tmp, target)


def build() -> None:
    for lang in LANGS:
        _write_atomically(mo_path(lang), compiled(lang))
    if GLOSSARY_MD.parent.is_dir():  # a checkout, not an installed wheel
        _write_atomically(GLOSSARY_MD, glossary_md().encode("utf-8"))


if __name__ == "__main__":
    if "--fold" in sys.argv:
        print(f"folded {fold_parts()} entries into the .po files")
    build()
    print("compiled " + ", ".join(str(mo_path(lang).relative_to(LOCALE.parent)) for lang in LANGS))
