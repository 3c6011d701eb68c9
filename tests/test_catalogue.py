"""The text catalogue: complete in both languages, compiled, used by key, one word per
concept, and the only place user-visible Chinese lives."""

from __future__ import annotations

import ast
import fnmatch
import gettext
import io
import re
import tokenize
from pathlib import Path

import pytest
import yaml

from elevator.core import catalogue as cat
from elevator.core.text import LANGS, LOCALE, Msg, catalogue, t

ROOT = Path(__file__).resolve().parents[1]
CJK = re.compile(r"[\u3400-\u9fff\uff00-\uffef\u3000-\u303f]")
# functions whose first argument is a catalogue key
KEY_FUNCTIONS = {"t", "pair", "both", "Msg", "msg", "fail", "tr", "label"}
# functions whose second argument is a catalogue key (the first names the field)
KEY_SECOND = {"problem"}
MARKER = "# zh-ok"  # a Chinese literal that is input vocabulary, not text shown


def test_every_entry_has_both_languages_and_the_same_placeholders():
    zh, en = cat.entries("zh"), cat.entries("en")
    assert set(zh) == set(en), sorted(set(zh) ^ set(en))
    for key in zh:
        assert zh[key].strip() and en[key].strip(), key
        names = lambda s: set(re.findall(r"{(\w+)", s))  # noqa: E731
        assert names(zh[key]) == names(en[key]), key


def test_compiled_catalogues_are_up_to_date():
    for lang in LANGS:
        fresh = gettext.GNUTranslations(io.BytesIO(cat.compiled(lang)))._catalog
        stored = gettext.GNUTranslations(io.BytesIO(cat.mo_path(lang).read_bytes()))._catalog
        fresh.pop("", None), stored.pop("", None)  # the header carries a build date
        assert fresh == stored, "run `make messages`"


def test_glossary_page_is_up_to_date():
    assert cat.GLOSSARY_MD.read_text(encoding="utf-8") == cat.glossary_md(), "run `make messages`"


def _python_files():
    for folder in ("elevator", "ui"):
        yield from sorted((ROOT / folder).rglob("*.py"))


def test_keys_named_in_code_exist():
    known = set(catalogue("zh"))
    missing = []
    for path in _python_files():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call) or not node.args:
                continue
            name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
            first = node.args[0]
            if name in KEY_SECOND:
                first = node.args[1] if len(node.args) > 1 else None
            if (
                (name in KEY_FUNCTIONS or name in KEY_SECOND)
                and isinstance(first, ast.Constant)
                and isinstance(first.value, str)
                and re.fullmatch(r"[a-z0-9_]+(\.[a-z0-9_]+)+", first.value)
            ):
                if first.value not in known:
                    missing.append(f"{path.relative_to(ROOT)}:{node.lineno}: {first.value}")
    assert not missing, "\n".join(missing)


def _chinese_literals(path: Path) -> list[str]:
    """Chinese in string literals that are not docstrings and not marked `# zh-ok`."""
    source = path.read_text(encoding="utf-8")
    lines = source.splitlines()
    docstrings = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                docstrings.add(body[0].value.lineno)
    out = []
    for tok in tokenize.generate_tokens(io.StringIO(source).readline):
        if tok.type != tokenize.STRING and getattr(tokenize, "FSTRING_MIDDLE", None) != tok.type:
            continue
        if not CJK.search(tok.string) or tok.start[0] in docstrings:
            continue
        if any(MARKER in lines[i - 1] for i in range(tok.start[0], tok.end[0] + 1)):
            continue
        out.append(f"{path.relative_to(ROOT)}:{tok.start[0]}: {tok.string[:60]}")
    return out


@pytest.mark.parametrize("path", list(_python_files()), ids=lambda p: str(p.relative_to(ROOT)))
def test_no_chinese_text_in_code(path):
    found = _chinese_literals(path)
    assert not found, "move these words to the catalogue:\n" + "\n".join(found)


def test_marked_literals_stay_few():
    marked = sum(p.read_text(encoding="utf-8").count(MARKER) for p in _python_files())
    assert marked <= 40, marked


def _glossary() -> dict:
    return yaml.safe_load((LOCALE / "glossary.yaml").read_text(encoding="utf-8"))["concepts"]


def test_glossary_concepts_exist_and_avoided_words_are_nowhere():
    zh, en = cat.entries("zh"), cat.entries("en")
    for concept, spec in _glossary().items():
        keys = [k for k in zh if fnmatch.fnmatch(k, spec["keys"])]
        assert keys, f"{concept}: no catalogue key matches {spec['keys']}"
        for word in spec.get("avoid_zh", []):
            bad = [k for k, v in zh.items() if word in v]
            assert not bad, f"{concept}: avoid {word!r} (found in {bad})"
        for word in spec.get("avoid_en", []):
            bad = [k for k, v in en.items() if word.lower() in v.lower()]
            assert not bad, f"{concept}: avoid {word!r} (found in {bad})"


def test_one_word_per_concept_within_a_family():
    """Two keys of one glossary family never share a word (two concepts, one word) in
    either language."""
    zh, en = cat.entries("zh"), cat.entries("en")
    for concept, spec in _glossary().items():
        if spec["keys"] in ("scheme.*",):
            continue  # a scheme's name and its words are different things
        keys = [k for k in zh if fnmatch.fnmatch(k, spec["keys"])]
        for table in (zh, en):
            words = [table[k] for k in keys]
            if spec.get("one_word"):  # one heading in several documents: the same word
                assert len(set(words)) == 1, f"{concept}: {words}"
            else:
                assert len(set(words)) == len(words), f"{concept}: {words}"


def test_messages_render_in_both_languages():
    m = Msg("label.years_total", years=15)
    assert m.zh != m.en and "15" in m.zh and "15" in m.en
    assert t("verdict.conditional", "zh") != t("verdict.conditional", "en")
    with pytest.raises(KeyError):
        t("no.such.key")
