"""reviewgraph: policy reviews, their recommendations, the commitments made in response and
the evidence of delivery, as one RDF graph under a published OWL ontology.

It answers the question its users keep asking: which commitments were never followed
through, and how often had the same thing been promised before?

The top-level names load lazily, so ``import reviewgraph`` (and the command line's start)
stays fast.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

_EXPORTS = {
    "Dataset": "models",
    "Review": "models",
    "Recommendation": "models",
    "Body": "models",
    "Person": "models",
    "Theme": "models",
    "Source": "models",
    "Response": "models",
    "Stance": "models",
    "BlanketStance": "models",
    "Commitment": "models",
    "DueDateStatement": "models",
    "StatusClaim": "models",
    "Deliverable": "models",
    "Link": "models",
    "BodyChange": "models",
    "Citation": "models",
    "DateRange": "dates",
    "RG": "namespaces",
    "BASE_IRI": "namespaces",
    "ReviewGraphError": "errors",
    "InputError": "errors",
    "DataError": "errors",
    "ValidationFailed": "errors",
    "read_dataset": "load",
    "Loaded": "load",
    "to_graph": "rdf",
    "from_graph": "rdf",
    "validate_dataset": "validate",
    "ValidationReport": "validate",
    "write_tracker": "tracker",
}

__all__ = [
    "BASE_IRI",
    "RG",
    "BlanketStance",
    "Body",
    "BodyChange",
    "Citation",
    "Commitment",
    "DataError",
    "Dataset",
    "DateRange",
    "Deliverable",
    "DueDateStatement",
    "InputError",
    "Link",
    "Loaded",
    "Person",
    "Recommendation",
    "Response",
    "Review",
    "ReviewGraphError",
    "Source",
    "Stance",
    "StatusClaim",
    "Theme",
    "ValidationFailed",
    "ValidationReport",
    "__version__",
    "from_graph",
    "read_dataset",
    "to_graph",
    "validate_dataset",
    "write_tracker",
]

if TYPE_CHECKING:  # pragma: no cover
    from reviewgraph.dates import DateRange
    from reviewgraph.errors import DataError, InputError, ReviewGraphError, ValidationFailed
    from reviewgraph.io.files import Loaded, read_dataset
    from reviewgraph.io.tracker import write_tracker
    from reviewgraph.models import (
        BlanketStance,
        Body,
        BodyChange,
        Citation,
        Commitment,
        Dataset,
        Deliverable,
        DueDateStatement,
        Link,
        Person,
        Recommendation,
        Response,
        Review,
        Source,
        Stance,
        StatusClaim,
        Theme,
    )
    from reviewgraph.rdf.mapping import from_graph, to_graph
    from reviewgraph.validate import ValidationReport, validate_dataset
    from reviewgraph.vocab.namespaces import BASE_IRI, RG


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'reviewgraph' has no attribute {name!r}")
    value = getattr(import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return __all__
