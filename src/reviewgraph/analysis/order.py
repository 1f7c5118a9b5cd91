"""Natural order of ids: digit runs compare as numbers (``stance-2`` before ``stance-10``)."""

from __future__ import annotations

import re
from functools import lru_cache

__all__ = ["natural_key"]

_RUNS = re.compile(r"\d+|\D+")


@lru_cache(maxsize=65536)
def natural_key(item_id: str) -> tuple[tuple[int, int, str], ...]:
    """Return the key under which ids sort naturally.

    An id is split into runs of digits and of other characters; a digit run compares as a
    number (then by its text, so ``"02"`` and ``"2"`` stay apart), and a digit run sorts before
    text at the same place.

    Examples
    --------
    >>> sorted(["stance-10", "stance-2", "kark-2019/10", "kark-2019/5"], key=natural_key)
    ['kark-2019/5', 'kark-2019/10', 'stance-2', 'stance-10']
    """
    return tuple(
        (0, int(run), run) if run[0].isdigit() else (1, 0, run) for run in _RUNS.findall(item_id)
    )
