"""What the revised rules show on the command line (issue #14): both dates, the one spelling
of ownership, "not recorded" against "searched, none found", answers without standing,
responses without stances, a contractor's target. The expected lines are written from
docs/concepts.md ("Finding content", "Succession", "Due dates"), by hand.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

from reviewgraph.cli import main

CASES = Path(__file__).parent / "rules"


def _data(tmp_path: Path, case: str) -> Path:
    """The dataset of a golden case, as the YAML file a user would write."""
    doc = yaml.safe_load((CASES / f"{case}.yaml").read_text(encoding="utf-8"))
    path = tmp_path / f"{case}.yaml"
    path.write_text(yaml.safe_dump(doc["dataset"], sort_keys=False), encoding="utf-8")
    return path


def _run(*args: Any) -> str:
    result = CliRunner().invoke(main, [str(a) for a in args])
    assert result.exit_code == 0, result.output
    return result.output


def test_every_output_states_both_dates(tmp_path: Path) -> None:
    data = _data(tmp_path, "defect-8a-claim-asserted-later")
    table = _run("gaps", data, "--as-of", "2023-01-01", "--known-on", "2023-01-01")
    assert table.startswith("Findings as of 2023-01-01, known on 2023-01-01 ")
    unbounded = _run("gaps", data, "--as-of", "2023-01-01")
    assert "known on" not in unbounded.splitlines()[0]
    csv_out = _run("gaps", data, "--as-of", "2023-01-01", "--known-on", "2023-01-01",
                   "--format", "csv")  # fmt: skip
    assert csv_out.splitlines()[0].startswith("as_of,known_on,")
    as_json = json.loads(_run("gaps", data, "--as-of", "2023-01-01", "--format", "json"))
    assert as_json["known_on"] is None and as_json["schema_version"] == "2.0"
    card = _run("scorecard", data, "--as-of", "2023-01-01", "--known-on", "2022-06-01")
    assert card.splitlines()[0] == "Scorecard by body as of 2023-01-01, known on 2022-06-01"


def test_a_claim_asserted_after_the_knowledge_date_does_not_count(tmp_path: Path) -> None:
    # the case: a claim asserted 2025-03-01 that the commitment was partially delivered
    # since 2022-12-01
    data = _data(tmp_path, "defect-8a-claim-asserted-later")
    later = json.loads(_run("gaps", data, "--as-of", "2023-01-01", "--format", "json"))
    then = json.loads(_run("gaps", data, "--as-of", "2023-01-01", "--known-on", "2023-01-01",
                           "--format", "json"))  # fmt: skip
    status_later = {f["item"]: f["status"]["status"] for f in later["findings"]}
    status_then = {f["item"]: f["status"]["status"] for f in then["findings"]}
    assert set(status_then.values()) == {"not-recorded"}
    assert "partially-delivered" in status_later.values()


def test_no_evidence_says_whether_anyone_looked(tmp_path: Path) -> None:
    out = _run("gaps", _data(tmp_path, "defect-4-no-evidence-without-search"), "--as-of",
               "2024-01-01")  # fmt: skip
    assert "evidence: not recorded" in out
    assert (
        "evidence: searched, none found (by compilers on 2023-09-01; searched: gov.uk, "
        "the department's annual report 2022/23)" in out
    )
    assert "no evidence" not in out


def test_ownership_is_spelt_one_way(tmp_path: Path) -> None:
    out = _run("gaps", _data(tmp_path, "succession-scoped"), "--as-of", "2025-07-01")
    assert "owner: mhclg (was home-office)" in out
    assert "owner: home-office |" in out
    as_json = json.loads(_run("gaps", _data(tmp_path, "succession-scoped"), "--as-of",
                              "2025-07-01", "--format", "json"))  # fmt: skip
    spelt = {f["item"]: f["owner"]["spelt"] for f in as_json["findings"]}
    assert spelt == {"fire-standards": "mhclg (was home-office)", "police-standards": "home-office"}


def test_an_announced_change_is_shown_before_it_takes_effect(tmp_path: Path) -> None:
    out = _run("gaps", _data(tmp_path, "succession-announced"), "--as-of", "2025-07-01")
    assert "to be merged into dhsc on 2027-04-01, announced 2025-03-13" in out


def test_answers_without_standing_and_responses_without_stances_are_shown(
    tmp_path: Path,
) -> None:
    out = _run("status", "smith-2015/1", _data(tmp_path, "defect-1-smith-non-addressee"),
               "--as-of", "2017-07-01", "--format", "json")  # fmt: skip
    status = json.loads(out)
    assert status["stance"]["value"] is None
    assert status["stance"]["other_answers"] == ["nhse"]
    assert status["answered"] is True
    assert status["status"]["status"] == "partially-delivered"
    gaps = _run("gaps", _data(tmp_path, "blanket-responded-without-stances"), "--as-of",
                "2022-01-02")  # fmt: skip
    assert "responded without stances: " in gaps


def test_a_contractors_target_is_labelled(tmp_path: Path) -> None:
    out = _run("gaps", _data(tmp_path, "due-stated-by-contractor"), "--as-of", "2025-07-01")
    assert "(stated by a contractor, acme, on 2024-11-27)" in out


@pytest.mark.parametrize("command", ["gaps", "scorecard", "slippage", "contested", "timeline"])
def test_known_on_is_an_option_of_every_analysis_command(tmp_path: Path, command: str) -> None:
    data = _data(tmp_path, "known-on-knowledge-dates")
    out = _run(command, data, "--as-of", "2023-06-01", "--known-on", "2023-01-01")
    assert "known on 2023-01-01" in out.splitlines()[0]


def test_validate_warns_of_the_three_situations_the_rules_allow(tmp_path: Path) -> None:
    data = tmp_path / "warn.yaml"
    data.write_text(
        """
sources:
  - {id: undated, url: "https://example.org/a"}
bodies:
  - {id: dept, name: Department, government: true}
  - {id: agency, name: Agency, government: true}
  - {id: other, name: Other}
review:
  id: r-2020
  title: A review
  published: 2020-01-01
  recommendations:
    - {label: "1", summary: Do it., addressees: [agency]}
responses:
  - id: resp
    by: dept
    date: 2020-03-01
    answers: [r-2020]
    stances:
      - {recommendation: "1", stance: accepted}
commitments:
  - id: c
    summary: Do it.
    owner: agency
    made_on: 2020-03-01
    due_dates:
      - {target: 2021-01, citations: [{source: undated}]}
body_changes:
  - {id: move, kind: function transferred to, body: agency, into: [other], date: 2022-01-01}
""",
        encoding="utf-8",
    )
    from reviewgraph.io.files import read_dataset
    from reviewgraph.validate import validate_dataset

    # (the file has no citations, which are violations of their own; the warnings stand apart)
    warnings = {str(w).split(": ", 1)[1] for w in validate_dataset(read_dataset([data])).warnings}
    assert {w.split(":")[0] for w in warnings} >= {
        "due-date c/due-1",
        "body-change move",
        "response resp",
    }
    assert any("never in force" in w for w in warnings)
    assert any("moves every commitment of agency" in w for w in warnings)
    assert any("where dept or agency has no jurisdiction" in w for w in warnings)
