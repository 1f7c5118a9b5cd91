"""Identifiers from names, and names back to identifiers.

Spreadsheets name bodies ("NHS England", "LFB") where YAML gives ids.  This module makes a
stable id from any name, non-Latin scripts included, resolves names through the names and
aliases (abbreviation, former names) of the bodies loaded, warns about likely duplicates (an
acronym of another name, a near-identical spelling) and suggests the closest id for an
unknown one.

Non-Latin names are **transliterated** with `anyascii <https://pypi.org/project/anyascii/>`_
("東京消防庁" becomes ``dongjingxiaofangting``) rather than kept as Unicode in the IRI: the
ids stay typeable, readable in any tool, and valid under the one ``ID_PATTERN`` that the
models, the SHACL shapes and the SPARQL queries share; ``anyascii`` covers every script and
gives the same output for the same text.  When two different names transliterate alike, the
later one gets a short suffix from a hash of its name, so both stay distinct and stable.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterable, Mapping
from typing import Any

from reviewgraph.errors import DataError, Location

__all__ = [
    "NameIndex",
    "acronym",
    "derive_roles",
    "did_you_mean",
    "likely_duplicates",
    "name_slug",
]


def name_slug(text: str) -> str:
    """Make an id segment from any name or label, transliterating non-Latin scripts.

    Examples
    --------
    >>> name_slug("London Fire Brigade"), name_slug("33.10a")
    ('london-fire-brigade', '33.10a')
    >>> name_slug("Пожарная охрана"), name_slug("Agència Catalana")
    ('pozharnaya-okhrana', 'agencia-catalana')
    >>> name_slug("東京消防庁")
    'dongjingxiaofangting'
    """
    from anyascii import anyascii

    ascii_text = anyascii(unicodedata.normalize("NFC", text))
    slug = re.sub(r"[^a-z0-9.]+", "-", ascii_text.strip().lower()).strip("-.")
    if not slug:
        # nothing to transliterate (symbols only): a stable id from the text itself
        slug = "n-" + hashlib.sha1(text.encode("utf-8")).hexdigest()[:8]
    return slug


def acronym(name: str) -> str:
    """The initials of a name's significant words, upper case.

    Examples
    --------
    >>> acronym("London Fire Brigade"), acronym("Department of Health and Social Care")
    ('LFB', 'DHSC')
    """
    small = {"of", "and", "for", "the", "in", "on", "to", "&"}
    words = [w for w in re.split(r"[\s\-]+", name) if w and w.lower() not in small]
    return "".join(w[0] for w in words).upper()


def did_you_mean(ref: str, known: Iterable[str]) -> str:
    """A " (did you mean ...?)" hint naming up to three known ids close to ``ref``, or "".

    Examples
    --------
    >>> did_you_mean("nhs-englnd", ["nhs-england", "dhsc"])
    " (did you mean 'nhs-england'?)"
    >>> did_you_mean("zzz", ["nhs-england"])
    ''
    """
    from rapidfuzz import fuzz, process

    found = process.extract(ref, list(known), scorer=fuzz.ratio, limit=3, score_cutoff=80)
    if not found:
        return ""
    return " (did you mean " + " or ".join(repr(match) for match, _, _ in found) + "?)"


class NameIndex:
    """Resolve body names to ids: known names and aliases first, else a new stable id.

    Examples
    --------
    >>> from reviewgraph.models import Body
    >>> index = NameIndex([Body(id="lfb", name="London Fire Brigade", abbreviation="LFB")])
    >>> index.resolve("LFB"), index.resolve("london fire brigade"), index.resolve("Police")
    ('lfb', 'lfb', 'police')
    """

    def __init__(self, bodies: Iterable[Any] = ()) -> None:
        self.by_name: dict[str, str] = {}
        self.names_of: dict[str, str] = {}  # id -> the name it was minted from
        self.defined: set[str] = set()  # ids of bodies defined (not minted from a name)
        for body in bodies:
            self.add_body(body)

    @staticmethod
    def _key(name: str) -> str:
        return " ".join(unicodedata.normalize("NFKC", name).casefold().split())

    def add_body(self, body: Any) -> None:
        """Make a body's id, name, abbreviation and former names resolve to it."""
        names = [body.id, body.name, body.abbreviation, *(n.name for n in body.former_names)]
        for name in names:
            if name:
                self.by_name.setdefault(self._key(name), body.id)
        self.names_of.setdefault(body.id, body.name)
        self.defined.add(body.id)

    def resolve(self, name: str) -> str:
        """Return the id a name stands for, minting (and remembering) a new one if needed."""
        key = self._key(name)
        found = self.by_name.get(key)
        if found is not None:
            return found
        body_id = name_slug(name).replace(".", "-")
        if body_id in self.names_of and self._key(self.names_of[body_id]) != key:
            # a different name with the same transliteration: keep both, distinct
            body_id += "-" + hashlib.sha1(key.encode("utf-8")).hexdigest()[:6]
        self.by_name[key] = body_id
        self.by_name.setdefault(body_id, body_id)
        self.names_of.setdefault(body_id, name)
        return body_id


def likely_duplicates(names: Mapping[str, str]) -> list[tuple[str, str, str]]:
    """Pairs of body ids whose names look like one body: ``(id, other id, why)``.

    ``names`` maps each id to its name.  A name that is the acronym of another, or two names
    spelt almost alike (rapidfuzz ratio of 92 or more), is a likely duplicate.

    Examples
    --------
    >>> likely_duplicates({"lfb": "LFB", "london-fire-brigade": "London Fire Brigade"})
    [('lfb', 'london-fire-brigade', "'LFB' is the acronym of 'London Fire Brigade'")]
    >>> likely_duplicates({"a": "Care Quality Commission", "b": "Care Quality Comission"})
    [('a', 'b', "'Care Quality Commission' and 'Care Quality Comission' are spelt almost alike")]
    """
    from rapidfuzz import fuzz, process, utils

    out: list[tuple[str, str, str]] = []
    ids = sorted(names)
    by_acronym: dict[str, list[str]] = {}
    for body_id in ids:
        name = names[body_id]
        if len(name.split()) > 1:
            by_acronym.setdefault(acronym(name), []).append(body_id)
    for body_id in ids:
        name = names[body_id].strip()
        if " " not in name and name.upper() == name and len(name) > 1:
            for other in by_acronym.get(name, []):
                if other != body_id:
                    out.append((body_id, other, f"{name!r} is the acronym of {names[other]!r}"))
    # near-identical spellings: compared within blocks of names that start alike, so that
    # thousands of bodies cost little (a one-letter slip rarely falls in the first letters)
    blocks: dict[str, list[str]] = {}
    for body_id in ids:
        blocks.setdefault(utils.default_process(names[body_id])[:3], []).append(body_id)
    for block in blocks.values():
        for n, body_id in enumerate(block):
            rest = block[n + 1 :]
            found = process.extract(
                names[body_id],
                [names[i] for i in rest],
                scorer=fuzz.ratio,
                processor=utils.default_process,
                score_cutoff=92,
                limit=5,
            )
            for match, _, index in found:
                if utils.default_process(match) != utils.default_process(names[body_id]):
                    why = f"{names[body_id]!r} and {match!r} are spelt almost alike"
                    out.append((body_id, rest[index], why))
    return out


def derive_roles(collected: Any) -> None:
    """Give a role to each status claim read with a blank ``assessor_role``, or say why not.

    The role follows from the assessor's relation to the commitment: its owner (or, with no
    commitment, an addressee) reports as **owner**; the owner's parent body as **sponsor**; a
    body that publishes reviews as **independent scrutiny**.  Anything else is an error
    naming the row: a blank never silently becomes "compiler".
    """
    if not collected.derive_roles:
        return
    from reviewgraph.vocab.concepts import AssessorRole

    bodies = {b.id: b for b in collected.items["bodies"]}
    publishers = {r.publisher for r in collected.items["reviews"] if r.publisher}
    claims = {c.id: n for n, c in enumerate(collected.items["status_claims"])}
    derived: dict[str, list[int]] = {}
    drop: set[int] = set()
    for claim_id, where, owner, addressees in collected.derive_roles:
        index = claims.get(claim_id)
        if index is None:
            continue
        claim = collected.items["status_claims"][index]
        assessor = claim.assessor
        owners = [owner] if owner else list(addressees)
        parents = {bodies[o].parent for o in owners if o in bodies and bodies[o].parent}
        role = None
        if assessor in parents:
            role = AssessorRole.SPONSOR
        elif assessor in publishers:
            role = AssessorRole.INDEPENDENT_SCRUTINY
        if role is None:
            column = Location(where.file, where.line, "assessor_role")
            collected.problems.append(
                DataError(
                    f"assessor_role is empty and cannot be derived: {assessor!r} is not the "
                    "owner, its parent body or a body that publishes reviews; give the role "
                    "(owner, sponsor, independent scrutiny, commentator, compiler)",
                    column,
                )
            )
            collected.failed.setdefault(claim_id, column)
            drop.add(index)
            continue
        collected.items["status_claims"][index] = claim.model_copy(update={"role": role})
        derived.setdefault(role.value.replace("-", " "), []).append(where.line or 0)
    if drop:
        kept = [c for n, c in enumerate(collected.items["status_claims"]) if n not in drop]
        collected.items["status_claims"] = kept
    for role_name, rows in derived.items():
        from reviewgraph.io.tracker_cells import row_list

        collected.notes.append(
            DataError(
                f"{len(rows)} status claim(s) leave assessor_role empty: the assessor's relation "
                f"to the owner makes the role {role_name} (rows {row_list(rows)})",
            )
        )
