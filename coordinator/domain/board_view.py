"""Which slice of a pairing board is in view: a page of hosts, a page of products, filters and a search."""
from __future__ import annotations

from dataclasses import dataclass, fields, replace
from typing import Callable, Iterable, Mapping, Sequence, TypeVar

T = TypeVar("T")
HOSTS_PER_PAGE = 50
PRODUCTS_PER_PAGE = 20
MAX_SEARCH = 100  # longer searches are cut: no host or product name is that long


def _number(text: str | None, default: int | None) -> int | None:
    if text is None or not text.strip().isdigit() or len(text.strip()) > 9:
        return default
    return int(text)


@dataclass(frozen=True)
class BoardQuery:
    """The board's view as its GET parameters say: pages, county and category of products, a search."""

    page: int = 1  # hosts, in pages of HOSTS_PER_PAGE
    cols: int = 1  # products, in pages of PRODUCTS_PER_PAGE
    county: int | None = None
    category: str = ""
    q: str = ""

    @classmethod
    def parse(cls, args: Mapping[str, str]) -> BoardQuery:
        """Read a view from query (or form) parameters; anything malformed falls back to its default."""
        return cls(page=max(1, _number(args.get("page"), 1) or 1), cols=max(1, _number(args.get("cols"), 1) or 1),
                   county=_number(args.get("county"), None), category=(args.get("category") or "").strip()[:64],
                   q=" ".join((args.get("q") or "").split())[:MAX_SEARCH])

    def args(self, **changes) -> dict[str, str | int]:
        """The parameters that differ from the default view, for links and the forms' hidden fields."""
        view, default = replace(self, **changes), BoardQuery()
        return {f.name: getattr(view, f.name) for f in fields(self)
                if getattr(view, f.name) != getattr(default, f.name)}

    @property
    def filtered(self) -> bool:
        """Whether anything narrows the board."""
        return bool(self.county or self.category or self.q)


@dataclass(frozen=True)
class Window:
    """One page of a list: which items (1-based, inclusive) of how many, and its neighbours."""

    page: int
    pages: int
    first: int
    last: int
    total: int

    @property
    def previous(self) -> int | None:
        """The page before, if any."""
        return self.page - 1 if self.page > 1 else None

    @property
    def next(self) -> int | None:
        """The page after, if any."""
        return self.page + 1 if self.page < self.pages else None


def window(total: int, page: int, per_page: int) -> Window:
    """The page asked for, moved back onto the last page when the list is shorter than that."""
    pages = max(1, -(-total // per_page))
    page = min(max(1, page), pages)
    first = (page - 1) * per_page
    return Window(page, pages, first + 1 if total else 0, min(total, first + per_page), total)


def cut(items: Sequence[T], win: Window) -> list[T]:
    """The items of a window."""
    return list(items[max(0, win.first - 1):win.last])


def _found(items: Iterable[T], needle: str, text: Callable[[T], Iterable[str]]) -> list[T]:
    needle = needle.casefold()
    return [item for item in items if any(needle in (part or "").casefold() for part in text(item))]


def narrow(hosts: Sequence[T], products: Sequence[T], q: str, host_text: Callable[[T], Iterable[str]],
           product_text: Callable[[T], Iterable[str]]) -> tuple[list[T], list[T]]:
    """A search narrows the hosts when it names some and the products when it names some (a host's name finds
    their row across every product, a product's name its column down every host); naming neither leaves none."""
    if not q:
        return list(hosts), list(products)
    found_hosts, found_products = _found(hosts, q, host_text), _found(products, q, product_text)
    if not found_hosts and not found_products:
        return [], []
    return found_hosts or list(hosts), found_products or list(products)
