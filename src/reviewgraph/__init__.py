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
    "RG": "vocab.namespaces",
    "BASE_IRI": "vocab.namespaces",
    "ReviewGraphError": "errors",
    "InputError": "errors",
    "DataError": "errors",
    "ValidationFailed": "errors",
    "read_dataset": "io.files",
    "Loaded": "io.files",
    "to_graph": "rdf.mapping",
    "from_graph": "rdf.mapping",
    "validate_dataset": "validate",
    "ValidationReport": "validate",
    "write_tracker": "io.tracker",
    "ReviewGraph": "analysis.graph",
    "open_source": "source",
    "open_store": "stores.api",
    "open_endpoint": "stores.api",
    "load_files": "io.store",
    "read_facts": "io.store",
    "read_store": "io.store",
    "Facts": "rdf.records",
    "StoreError": "errors",
    "QueryError": "errors",
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
    "Facts",
    "InputError",
    "Link",
    "Loaded",
    "Person",
    "QueryError",
    "Recommendation",
    "Response",
    "Review",
    "ReviewGraph",
    "ReviewGraphError",
    "Source",
    "Stance",
    "StatusClaim",
    "StoreError",
    "Theme",
    "ValidationFailed",
    "ValidationReport",
    "__version__",
    "from_graph",
    "load_files",
    "open_endpoint",
    "open_source",
    "open_store",
    "read_dataset",
    "read_facts",
    "read_store",
    "to_graph",
    "validate_dataset",
    "write_tracker",
]

if TYPE_CHECKING:  # pragma: no cover
    from reviewgraph.analysis.graph import ReviewGraph
    from reviewgraph.dates import DateRange
    from reviewgraph.errors import (
        DataError,
        InputError,
        QueryError,
        ReviewGraphError,
        StoreError,
        ValidationFailed,
    )
    from reviewgraph.io.files import Loaded, read_dataset
    from reviewgraph.io.store import load_files, read_facts, read_store
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
    from reviewgraph.rdf.records import Facts
    from reviewgraph.source import open_source
    from reviewgraph.stores.api import open_endpoint, open_store
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
