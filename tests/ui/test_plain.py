"""md(): a string from Personio renders as exactly its characters in Streamlit markdown."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from dashboard.ui.plain import ZWSP, md, md_list

# a markdown syntax character left unescaped (not preceded by a backslash)
_BARE = re.compile(r"(?<!\\)[\[\]()<>$:*_`!&#|~]")


def test_markup_is_escaped() -> None:
    assert md("[x](https://e.example)") == "\\[x\\]\\(https\\:\u200b\\/\\/e\\.example\\)"
    assert "https://" not in md("https://evil.example").replace("\\", "")  # no bare-URL autolink
    assert "www." not in md("www.evil.example").replace("\\", "")
    assert "a@b" not in md("a@b.example").replace("\\", "")  # no e-mail autolink
    assert md("<b>b</b>") == r"\<b\>b\<\/b\>"
    assert md("$x$ :red[c] &amp;") == r"\$x\$ \:red\[c\] \&amp\;"
    assert md("a\n\n# b\r\x00c") == r"a  \# b  c"  # no new block, no heading, no control character
    assert md_list(["<a>", "b"]) == r"\<a\>, b"


@settings(max_examples=300, deadline=None, derandomize=True, database=None)
@given(st.text())
def test_no_markdown_character_is_left_bare_and_the_text_survives(value: str) -> None:
    out = md(value)
    assert "\n" not in out and "\r" not in out
    stripped = re.sub(r"\\(.)", r"\1", out).replace(ZWSP, "")  # what CommonMark shows after the escapes
    assert not _BARE.search(re.sub(r"\\.", "", out))
    assert stripped == re.sub(r"[\x00-\x08\x0b-\x1f\x7f\r\n]", " ", value).replace(ZWSP, "")
