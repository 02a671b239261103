"""The header's navigation marks the section a page is in, and only that one."""

from console.web import Visitor


def test_the_navigation_marks_only_the_section_a_page_is_in() -> None:
    def current(path: str) -> str | None:
        return Visitor(language="id", session=None, csrf_token="t", path=path).current_section

    assert current("/staf/kim") == "/staf/kim"
    assert current("/staf/kim/123") == "/staf/kim"
    assert current("/staf/lomba/1") == "/staf"
    assert current("/staf") == "/staf"
    assert current("/stafx") is None
    assert current("/") is None
