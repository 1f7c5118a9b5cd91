"""What changed between two reports: the findings new, closed and changed, matched by their
stable ids (:func:`~reviewgraph.analysis.results.finding_id`).

A committee clerk's "what changed since the last report": compare the gaps as of two dates,
or two saved ``gaps --format json`` outputs (of this schema version or the one before).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from reviewgraph.analysis.results import DiffResult, Finding, FindingChange, GapsResult

__all__ = ["COMPARED", "diff_findings", "facts_of", "read_gaps"]

COMPARED = ("rules", "status", "due", "owner", "stance", "recommended_before")
"""The facts of a finding whose change counts as a change."""


def facts_of(f: Finding) -> dict[str, Any]:
    """The compared facts of a finding.

    Examples
    --------
    >>> from reviewgraph.analysis.results import Why
    >>> f = Finding(category="parked", item="r/1", item_type="recommendation", label="r/1",
    ...             why=Why(rule="parked", explanation="..."))
    >>> facts_of(f)["rules"], facts_of(f)["status"]
    ((), None)
    """
    return {
        "rules": f.rules,
        "status": f.status.status if f.status else None,
        "due": f.due.current.target.text if f.due else None,
        "owner": f.owner.current if f.owner else None,
        "stance": f.stance.value if f.stance else None,
        "recommended_before": f.recurrence.recommended_before,
    }


def diff_findings(
    before: GapsResult, after: GapsResult, before_name: str = "", after_name: str = ""
) -> DiffResult:
    """Compare two sets of findings by id.

    Examples
    --------
    >>> from reviewgraph.analysis import ReviewGraph
    >>> from reviewgraph.analysis._demo import demo_dataset
    >>> rg = ReviewGraph.from_dataset(demo_dataset())
    >>> d = diff_findings(rg.gaps("2021-01-01"), rg.gaps("2023-01-01"))
    >>> [f.id for f in d.new], [f.id for f in d.closed]
    (['not-followed-through:demo-rules', 'parked:demo-2020/2'], [])
    >>> [(c.id, c.changed) for c in d.changed]
    [('not-followed-through:demo-old-pledge', ('owner',))]
    """
    old = {f.id: f for f in before.findings}
    new = {f.id: f for f in after.findings}
    changes = []
    for key in sorted(old.keys() & new.keys()):
        a, b = facts_of(old[key]), facts_of(new[key])
        fields = tuple(k for k in COMPARED if a[k] != b[k])
        if fields:
            changes.append(FindingChange(id=key, changed=fields, before=old[key], after=new[key]))
    return DiffResult(
        as_of=after.as_of,
        before=before_name or before.as_of.isoformat(),
        after=after_name or after.as_of.isoformat(),
        before_as_of=before.as_of,
        new=tuple(new[k] for k in sorted(new.keys() - old.keys())),
        closed=tuple(old[k] for k in sorted(old.keys() - new.keys())),
        changed=tuple(changes),
    )


def _from_first_edition(value: Any) -> Any:
    if isinstance(value, dict):
        return {
            k: ("not-recorded" if k == "status" and v == "no-evidence" else _from_first_edition(v))
            for k, v in value.items()
        }
    if isinstance(value, list):
        return [_from_first_edition(v) for v in value]
    return value


def read_gaps(path: Path) -> GapsResult:
    """Read a saved ``gaps --format json`` output (schema 2.0; 1.1 and 1.0 are read too, their
    ``no-evidence`` status read as ``not-recorded``, its 2.0 spelling).

    Raises
    ------
    ValueError
        If the file is not the JSON of a gaps result (the message names the file).
    """
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if not isinstance(data, dict) or "findings" not in data:
            raise ValueError("not the JSON of reviewgraph gaps")
        version = str(data.pop("schema_version", "") or "")
        if version.startswith("1."):
            data = _from_first_edition(data)
        return GapsResult.model_validate(data)
    except (OSError, ValueError) as exc:
        first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise ValueError(f"{path}: {first}") from None
