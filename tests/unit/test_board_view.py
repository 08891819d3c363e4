"""The board's view: its parameters read forgivingly, its pages, and what a search narrows."""
from __future__ import annotations

from coordinator.domain.board_view import BoardQuery, cut, narrow, window


def test_parameters_fall_back_to_the_default_and_links_carry_only_what_differs():
    view = BoardQuery.parse({"page": "3", "cols": "x", "county": "-1", "category": " tea ", "q": "  宜君   苹果 "})
    assert view == BoardQuery(page=3, cols=1, county=None, category="tea", q="宜君 苹果")
    assert view.args() == {"page": 3, "category": "tea", "q": "宜君 苹果"}
    assert view.args(page=1, q="") == {"category": "tea"}
    assert BoardQuery.parse({"page": "0", "q": "x" * 500}).page == 1
    assert len(BoardQuery.parse({"q": "x" * 500}).q) == 100 and not BoardQuery().filtered


def test_a_window_counts_from_one_and_stays_on_the_list():
    second = window(500, 2, 50)
    assert (second.first, second.last, second.previous, second.next, second.pages) == (51, 100, 1, 3, 10)
    last = window(120, 9, 50)  # past the end: the last page
    assert (last.page, last.first, last.last, last.next) == (3, 101, 120, None)
    empty = window(0, 1, 50)
    assert (empty.first, empty.last, empty.pages, empty.previous) == (0, 0, 1, None)
    assert cut(list(range(120)), last) == list(range(100, 120))


def test_a_search_narrows_hosts_products_both_or_leaves_nothing():
    hosts, products = ["yijun_xiaomei", "apple_sister"], ["apple", "tea"]
    same = lambda item: (item,)  # noqa: E731
    assert narrow(hosts, products, "", same, same) == (hosts, products)
    assert narrow(hosts, products, "XIAOMEI", same, same) == (["yijun_xiaomei"], products)
    assert narrow(hosts, products, "tea", same, same) == (hosts, ["tea"])
    assert narrow(hosts, products, "apple", same, same) == (["apple_sister"], ["apple"])
    assert narrow(hosts, products, "nobody", same, same) == ([], [])
