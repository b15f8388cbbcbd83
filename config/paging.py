"""Counts that stop counting: the pager and the to-do tiles of lists that can hold a whole district.

An exact total of 500,000 open requests costs a scan of all of them on every page load, and nobody pages
to page 25,000 or acts on "500,000" differently from "1,000+". So lists that can grow with the district
count at most a little past the page asked for (`CappedPaginator`), tiles count up to `COUNT_CAP`
(`capped_count`), and both say when the number is a floor: it prints as "1000+".
"""

from django.core.paginator import Paginator
from django.utils.functional import cached_property
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response

COUNT_CAP = 1000


class CappedCount(int):
    """A count that may have stopped at its cap. It is the int it counted (for arithmetic, `{% if %}`
    and plural forms) and prints with a "+" when there are more."""

    capped: bool

    def __new__(cls, value, capped=False):
        count = super().__new__(cls, value)
        count.capped = capped
        return count

    def __str__(self):
        return f"{int(self)}+" if self.capped else str(int(self))


def capped_count(queryset, cap=COUNT_CAP) -> CappedCount:
    """How many rows, counting no further than `cap` (one query: COUNT over the first cap + 1 rows)."""
    counted = queryset.order_by()[: cap + 1].count()
    return CappedCount(min(counted, cap), capped=counted > cap)


class CappedPaginator(Paginator):
    """A Paginator whose count stops `COUNT_CAP` rows past the page asked for. Every page stays
    reachable ("next" exists whenever a row follows the page), the last pages are exact, and a count on
    a large list reads at most page × size + cap rows. `count.capped` says the total is a floor."""

    cap = COUNT_CAP

    def __init__(self, *args, asked=1, **kwargs):
        # `asked`: the page number asked for, where the caller reads `count` before `page()` (the admin).
        super().__init__(*args, **kwargs)
        self._asked = self._page_number(asked)

    @staticmethod
    def _page_number(number):
        try:
            return max(int(number), 1)
        except (TypeError, ValueError):
            return 1

    def validate_number(self, number):
        # page() and get_page() validate first: remember how deep the count has to reach.
        self._asked = max(self._asked, self._page_number(number))
        return super().validate_number(number)

    @cached_property
    def count(self):
        limit = self._asked * self.per_page + self.cap
        queryset = self.object_list
        if not hasattr(queryset, "order_by"):
            return CappedCount(len(queryset))
        counted = queryset.order_by()[: limit + 1].count()
        return CappedCount(min(counted, limit), capped=counted > limit)


class CappedPageNumberPagination(PageNumberPagination):
    """The API's pages: `count` stops as the pager's does, and `count_capped` says when it is a floor."""

    django_paginator_class = CappedPaginator

    def get_paginated_response(self, data):
        count = self.page.paginator.count
        return Response(
            {
                "count": int(count),
                "count_capped": count.capped,
                "next": self.get_next_link(),
                "previous": self.get_previous_link(),
                "results": data,
            }
        )

    def get_paginated_response_schema(self, schema):
        schema = super().get_paginated_response_schema(schema)
        schema["properties"]["count_capped"] = {
            "type": "boolean",
            "description": "True when there are more rows than `count`, which then stops counting.",
            "example": False,
        }
        schema["required"] = [*schema.get("required", []), "count_capped"]
        return schema


def rows_in_order(rows, pks):
    """The rows of `rows` with these primary keys, in the keys' order (one query).

    A list sorted on a computed key ("overdue first, then by deadline") must sort every candidate: sort
    the keys alone (narrow, from a covering index) and read whole, with their joins, only the rows of
    the page (a "deferred join")."""
    pks = list(pks)
    found = rows.in_bulk(pks)
    return [found[pk] for pk in pks if pk in found]


def page_of_rows(page, rows):
    """Turn a page of primary keys (from a CappedPaginator over `values_list("pk", flat=True)`) into a page
    of rows of `rows`."""
    page.object_list = rows_in_order(rows, page.object_list)
    return page
