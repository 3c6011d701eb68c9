"""One rule for download names (elevator/documents/file_names.py), used by the documents
page, the consultation's slips and the community's exports."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from elevator.documents.file_names import MAX_BYTES, download_name

UNSAFE = '/\\:*?"<>|'


def test_chinese_name_and_word_kept_with_single_spaces() -> None:
    assert download_name("兴发小区 3栋 1单元", "分摊表", "pdf") == "兴发小区 3栋 1单元-分摊表.pdf"
    assert download_name("兴发小区\u3000 3栋\t1单元", "分摊表", ".pdf") == (
        "兴发小区 3栋 1单元-分摊表.pdf"
    )
    assert download_name("幸福里", ext="yaml") == "幸福里.yaml"


@pytest.mark.parametrize("ch", list(UNSAFE) + ["\x00", "\n", "\x1f", "\x7f"])
def test_each_unsafe_character_is_replaced(ch: str) -> None:
    name = download_name(f"3栋{ch}1单元", "分摊表", "pdf")
    assert ch not in name
    assert name == "3栋-1单元-分摊表.pdf" or name == "3栋 1单元-分摊表.pdf"


def test_paths_and_hidden_names_cannot_be_made() -> None:
    assert download_name("../../etc/passwd", "x", "pdf") == "etc-passwd-x.pdf"
    assert download_name(".hidden", ext="json") == "hidden.json"
    assert download_name("a // b", "c", "pdf") == "a - b-c.pdf"


def test_invisible_direction_marks_are_dropped() -> None:
    # a right-to-left override could make "fdp.exe" look like "exe.pdf"
    assert download_name("报告\u202egnp.exe", "", "pdf") == "报告gnp.exe.pdf"


def test_empty_names_fall_back() -> None:
    assert download_name("", "分摊表", "pdf") == "project-分摊表.pdf"
    assert download_name("  /// ..", "", "pdf") == "project.pdf"
    assert download_name("///", "x", "pdf", fallback="project-7") == "project-7-x.pdf"
    assert download_name("///", "", "", fallback="///") == "project"


def test_reserved_windows_names_get_a_mark() -> None:
    assert download_name("CON", ext="yaml") == "CON_.yaml"
    assert download_name("con", "分摊表", "pdf") == "con-分摊表.pdf"  # "con-…" is allowed


def test_long_names_are_cut_on_a_character_keeping_word_and_extension() -> None:
    name = download_name("栋" * 500, "分摊表", "pdf")
    assert name.endswith("-分摊表.pdf") and name.startswith("栋")
    assert len(name.encode("utf-8")) <= MAX_BYTES
    assert set(name.removesuffix("-分摊表.pdf")) == {"栋"}
    assert len(download_name("a" * 500).encode("utf-8")) <= MAX_BYTES


@given(st.text(max_size=300), st.text(max_size=60), st.sampled_from(["pdf", ".xlsx", "", "y?ml"]))
def test_any_name_is_safe_and_short(name: str, word: str, ext: str) -> None:
    out = download_name(name, word, ext)
    stem = out.rsplit(".", 1)[0] if ext else out
    assert stem and stem.strip(" .-") == stem
    assert not any(ch in UNSAFE or ord(ch) < 32 or ord(ch) == 127 for ch in out)
    assert len(out.encode("utf-8")) <= MAX_BYTES
    assert "  " not in out
