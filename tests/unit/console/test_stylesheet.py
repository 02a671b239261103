"""The console's stylesheet parses as written: a brace left open (a bad merge once
duplicated a selector line) nests every later rule inside it, and browsers then drop
them all, e.g. the phone layout of tables, without any error."""

from __future__ import annotations

import re
from pathlib import Path

import console

STYLESHEET = Path(console.__file__).parent / "static" / "console.css"


def blocks(css: str) -> list[tuple[int, str, int]]:
    """Each `{` as (line, the prelude before it, the depth it opens at)."""
    css = re.sub(r"/\*.*?\*/", lambda comment: "\n" * comment.group(0).count("\n"), css, flags=re.S)
    found, depth, prelude, line = [], 0, "", 1
    for char in css:
        if char == "{":
            found.append((line, prelude.strip(), depth))
            depth, prelude = depth + 1, ""
        elif char == "}":
            depth, prelude = depth - 1, ""
            assert depth >= 0, f"a '}}' closes nothing at line {line}"
        elif char == ";":
            prelude = ""
        else:
            prelude += char
        line += char == "\n"
    assert depth == 0, f"{depth} block(s) left open"
    return found


def test_every_rule_is_at_the_top_level_or_directly_inside_an_at_rule() -> None:
    css = STYLESHEET.read_text(encoding="utf-8")
    opened = blocks(css)
    assert len(opened) > 50  # the whole sheet was read
    at_rules = {line for line, prelude, _ in opened if prelude.startswith("@")}
    stack: list[tuple[int, str]] = []
    for line, prelude, depth in opened:
        del stack[depth:]
        if depth:
            parent_line, parent = stack[-1]
            assert parent_line in at_rules, f"line {line}: '{prelude[:60]}' is nested in '{parent[:60]}'"
        stack.append((line, prelude))


def test_a_block_left_open_is_found() -> None:
    broken = "a, b {\na, c {\n  color: red;\n}\n.x { color: blue; }\n"
    try:
        blocks(broken)
    except AssertionError as error:
        assert "left open" in str(error)
    else:  # pragma: no cover - the checker itself would be broken
        raise AssertionError("an unclosed block went unnoticed")
