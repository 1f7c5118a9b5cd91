"""A tiny dataset, built inline, that the analysis doctests run on.

Two reviews ten years apart ask for the same plan.  The 2010 recommendation was accepted and its
commitment never delivered; the 2020 one was accepted (a blanket stance), its plan was delivered
late after one revision of the target, and its owner was replaced by a new agency on the way.
A second 2020 recommendation was only "to be considered".
"""

from __future__ import annotations

from typing import Any

from reviewgraph.models import Dataset

__all__ = ["demo_dataset"]


def _cite(source: str) -> list[dict[str, str]]:
    return [{"source": source}]


def demo_dataset() -> Dataset:
    """Return the demonstration dataset.

    Examples
    --------
    >>> ds = demo_dataset()
    >>> [r.id for r in ds.reviews]
    ['demo-2010', 'demo-2020']
    """
    data: dict[str, Any] = {
        "sources": [
            {"id": "demo-report", "url": "https://example.org/report", "title": "Report"},
            {"id": "demo-response-src", "url": "https://example.org/response"},
            {"id": "demo-news", "url": "https://example.org/news"},
        ],
        "bodies": [
            {"id": "demo-dept", "name": "Department", "government": True},
            {"id": "demo-agency", "name": "Agency", "parent": "demo-dept"},
            {"id": "demo-agency-2", "name": "New Agency", "parent": "demo-dept"},
        ],
        "themes": [{"id": "planning", "label": "Planning"}],
        "reviews": [
            {
                "id": "demo-2010",
                "title": "The 2010 review",
                "kind": "independent-review",
                "published": "2010-06-01",
                "citations": _cite("demo-report"),
            },
            {
                "id": "demo-2020",
                "title": "The 2020 review",
                "kind": "select-committee-report",
                "published": "2020-03-01",
                "themes": ["planning"],
                "citations": _cite("demo-report"),
            },
        ],
        "recommendations": [
            {
                "id": "demo-2010/4",
                "review": "demo-2010",
                "label": "4",
                "summary": "Publish a plan.",
                "addressees": ["demo-agency"],
                "citations": _cite("demo-report"),
            },
            {
                "id": "demo-2020/1",
                "review": "demo-2020",
                "label": "1",
                "summary": "Publish a plan, at last.",
                "addressees": ["demo-agency"],
                "themes": ["planning"],
                "citations": _cite("demo-report"),
            },
            {
                "id": "demo-2020/2",
                "review": "demo-2020",
                "label": "2",
                "summary": "Set up a regulator.",
                "addressees": ["demo-dept"],
                "citations": _cite("demo-report"),
            },
        ],
        "responses": [
            {
                "id": "demo-old-response",
                "by": "demo-agency",
                "date": "2010-09-01",
                "answers": ["demo-2010"],
                "citations": _cite("demo-response-src"),
            },
            {
                "id": "demo-response",
                "by": "demo-dept",
                "date": "2020-05-01",
                "answers": ["demo-2020"],
                "blanket": [
                    {
                        "review": "demo-2020",
                        "stance": "accepted",
                        "citations": _cite("demo-response-src"),
                    }
                ],
                "citations": _cite("demo-response-src"),
            },
        ],
        "stances": [
            {
                "id": "demo-old-response/stance-1",
                "response": "demo-old-response",
                "recommendation": "demo-2010/4",
                "stance": "accepted",
                "citations": _cite("demo-response-src"),
            },
            {
                "id": "demo-response/stance-2",
                "response": "demo-response",
                "recommendation": "demo-2020/2",
                "stance": "to be considered",
                "citations": _cite("demo-response-src"),
            },
        ],
        "commitments": [
            {
                "id": "demo-old-pledge",
                "summary": "Publish a plan by 2012.",
                "owner": "demo-agency",
                "made_on": "2010-09-01",
                "answers": ["demo-2010/4"],
                "citations": _cite("demo-response-src"),
            },
            {
                "id": "demo-pledge",
                "title": "Publish a plan",
                "summary": "The agency will publish a plan.",
                "made_by": "demo-dept",
                "owner": "demo-agency",
                "made_on": "2020-05-01",
                "response": "demo-response",
                "answers": ["demo-2020/1"],
                "themes": ["planning"],
                "citations": _cite("demo-response-src"),
            },
            {
                "id": "demo-rules",
                "title": "Review the rules",
                "summary": "The department will review the rules.",
                "owner": "demo-dept",
                "made_on": "2020-05-01",
                "answers": ["demo-2020/1"],
                "citations": _cite("demo-response-src"),
            },
        ],
        "due_dates": [
            {
                "id": "demo-pledge/due-1",
                "commitment": "demo-pledge",
                "target": "2021-12",
                "stated_on": "2020-05-01",
                "citations": _cite("demo-response-src"),
            },
            {
                "id": "demo-pledge/due-2",
                "commitment": "demo-pledge",
                "target": "2022-06",
                "stated_on": "2021-11-15",
                "stated_by": "demo-agency-2",
                "citations": _cite("demo-news"),
            },
        ],
        "status_claims": [
            {
                "id": "demo-pledge/status-1",
                "about": "demo-pledge",
                "status": "in progress",
                "asserted_on": "2021-06-15",
                "since": "2021-06-01",
                "assessor": "demo-agency",
                "role": "owner",
                "citations": _cite("demo-news"),
            },
        ],
        "deliverables": [
            {
                "id": "demo-plan",
                "title": "The plan",
                "kind": "plan",
                "date": "2022-05",
                "by": "demo-agency-2",
                "fulfils": [{"commitment": "demo-pledge", "degree": "in full"}],
                "citations": _cite("demo-news"),
            },
        ],
        "links": [
            {
                "id": "demo-link",
                "type": "repeats",
                "from": "demo-2020/1",
                "to": "demo-2010/4",
                "citations": _cite("demo-report"),
            },
        ],
        "body_changes": [
            {
                "id": "demo-agency-replaced",
                "kind": "replaced by",
                "body": "demo-agency",
                "into": ["demo-agency-2"],
                "date": "2021-09-01",
                "citations": _cite("demo-news"),
            },
        ],
    }
    return Dataset.model_validate(data)
