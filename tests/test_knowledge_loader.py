"""Loader errors point an editor at the exact file, line and field.

Each test copies the shipped ``knowledge/`` into a temporary directory, breaks
one thing the way a real edit would, and checks the reported error. Expected
line numbers are computed from the text the test wrote, never guessed.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bot.knowledge import KnowledgeError, KnowledgeInvalidError, load_knowledge

SHIPPED = Path(__file__).resolve().parents[1] / "knowledge"
UNITS = "units.yaml"
ORGANISATION = "organisation.yaml"
AWARD = "qualifications/l3-award-mentoring.yaml"
CERT = "qualifications/l3-certificate-mentoring.yaml"
CM = "qualifications/l3-certificate-coaching-mentoring.yaml"


# -- helpers -------------------------------------------------------------------


@pytest.fixture
def kdir(tmp_path: Path) -> Path:
    """A private copy of the shipped knowledge, safe to break."""
    root = tmp_path / "knowledge"
    shutil.copytree(SHIPPED, root)
    return root


def edit(root: Path, rel: str, old: str, new: str, *, after: str | None = None) -> str:
    """Replace ``old`` (the first one after ``after``, if given) and return the new text.

    ``old`` must occur exactly once in the searched region, so an edit can
    never silently land somewhere unintended when the YAML changes.
    """
    path = root / rel
    text = path.read_text(encoding="utf-8")
    start = 0
    if after is not None:
        assert text.count(after) == 1, f"anchor {after!r} is not unique in {rel}"
        start = text.index(after)
    region = text[start:]
    if after is None:
        assert region.count(old) == 1, f"{old!r} is not unique in {rel}"
    else:
        assert old in region, f"{old!r} not found after {after!r} in {rel}"
    at = start + region.index(old)
    new_text = text[:at] + new + text[at + len(old) :]
    path.write_text(new_text, encoding="utf-8")
    return new_text


def line_of(text: str, needle: str, occurrence: int = 1) -> int:
    """1-based line of the ``occurrence``-th line containing ``needle``."""
    hits = [i for i, line in enumerate(text.splitlines(), start=1) if needle in line]
    assert len(hits) >= occurrence, f"{needle!r} found {len(hits)} times"
    return hits[occurrence - 1]


def errors_of(root: Path) -> list[KnowledgeError]:
    with pytest.raises(KnowledgeInvalidError) as info:
        load_knowledge(root)
    assert info.value.errors, "an invalid knowledge base must report at least one error"
    return info.value.errors


def the_error(root: Path) -> KnowledgeError:
    """The single error a one-fault edit must produce (no knock-on noise)."""
    errors = errors_of(root)
    assert len(errors) == 1, "\n".join(map(str, errors))
    return errors[0]


def fname(rel: str) -> str:
    """How the loader names a file: relative to the knowledge directory's parent."""
    return f"knowledge/{rel}"


# -- the shipped knowledge -----------------------------------------------------


def test_shipped_knowledge_loads() -> None:
    k = load_knowledge(SHIPPED)
    assert sorted(k.qualifications) == [
        "l3-award-mentoring",
        "l3-certificate-coaching-mentoring",
        "l3-certificate-mentoring",
    ]
    assert len(k.units) == 10
    assert len(k.equivalences) == 3


def test_unchanged_copy_loads(kdir: Path) -> None:
    assert len(load_knowledge(kdir).units) == 10


# -- YAML syntax -----------------------------------------------------------------


def test_yaml_syntax_error_names_file_and_line(kdir: Path) -> None:
    text = edit(
        kdir,
        UNITS,
        "    title: Reflecting on Workplace Coaching Skills\n",
        "    title: Reflecting: on Workplace Coaching Skills\n",
    )
    err = the_error(kdir)
    assert err.file == fname(UNITS)
    assert err.line == line_of(text, "Reflecting: on Workplace")
    assert err.field == ""
    assert "syntax" in err.message.lower()
    assert str(err).startswith(f"{fname(UNITS)}:{err.line}:")


def test_a_duplicate_key_is_named_with_its_line(kdir: Path) -> None:
    text = edit(
        kdir,
        UNITS,
        "    title: Reflecting on Workplace Coaching Skills\n",
        "    title: Reflecting on Workplace Coaching Skills\n    title: Reflecting again\n",
    )
    err = the_error(kdir)
    assert err.file == fname(UNITS)
    assert err.line == line_of(text, "title: Reflecting again")
    assert "duplicate key 'title'" in err.message


def test_yaml_tab_indentation_in_qualification_file(kdir: Path) -> None:
    text = edit(kdir, CM, "  - C&M\n", "\t- C&M\n")
    err = the_error(kdir)
    assert err.file == fname(CM)
    assert err.line == line_of(text, "\t- C&M")
    assert "syntax" in err.message.lower()


def test_top_level_not_a_mapping(kdir: Path) -> None:
    (kdir / ORGANISATION).write_text("- just\n- a list\n", encoding="utf-8")
    err = the_error(kdir)
    assert (err.file, err.line) == (fname(ORGANISATION), 1)
    assert "mapping" in err.message


def test_missing_units_file(kdir: Path) -> None:
    (kdir / UNITS).unlink()
    errors = errors_of(kdir)
    assert [(e.file, e.message) for e in errors] == [(fname(UNITS), "file is missing")]


def test_missing_directory(tmp_path: Path) -> None:
    errors = errors_of(tmp_path / "nowhere")
    assert len(errors) == 1
    assert "not found" in errors[0].message


# -- schema: types, unknown and missing fields --------------------------------------


def test_wrong_type_names_file_line_and_field_path(kdir: Path) -> None:
    text = edit(kdir, UNITS, "    credits: 7\n", '    credits: "three"\n', after='ref: "8577-306"')
    err = the_error(kdir)
    assert err.file == fname(UNITS)
    assert err.field == "units[2].credits"
    assert err.line == line_of(text, 'credits: "three"')
    assert "integer" in err.message
    assert "three" in err.message
    assert str(err) == f"{fname(UNITS)}:{err.line}: units[2].credits: {err.message}"


def test_wrong_type_deep_in_the_rules_is_the_only_error(kdir: Path) -> None:
    """A typo inside one rule node is one error: no complaint about the list it sits in,
    and no knock-on 'unknown qualification' in the files that progress to it."""
    text = edit(
        kdir, CM, "          credits: 10\n", "          credits: ten\n", after="id: group-1\n          description"
    )
    err = the_error(kdir)
    assert err.file == fname(CM)
    assert err.field == "rules.children[1].options[0].credits"
    assert err.line == line_of(text, "credits: ten")
    assert "ten" in err.message


def test_wrong_type_at_top_level_of_a_qualification(kdir: Path) -> None:
    text = edit(kdir, CERT, "level: 3\n", "level: three\n")
    err = the_error(kdir)
    assert (err.file, err.field, err.line) == (fname(CERT), "level", line_of(text, "level: three"))


def test_unknown_field(kdir: Path) -> None:
    text = edit(kdir, UNITS, "    glh: 6\n", "    glh: 6\n    colour: red\n", after='ref: "8577-305"')
    err = the_error(kdir)
    assert err.file == fname(UNITS)
    assert err.field == "units[1].colour"
    assert err.line == line_of(text, "colour: red")
    assert "unknown field" in err.message


def test_unknown_field_in_a_rule_node(kdir: Path) -> None:
    text = edit(kdir, CM, "          group: group-2\n", "          group: group-2\n          weight: 2\n")
    err = the_error(kdir)
    assert err.file == fname(CM)
    assert err.field == "rules.children[1].options[1].weight"
    assert err.line == line_of(text, "weight: 2")
    assert "unknown field" in err.message


def test_unknown_rule_kind(kdir: Path) -> None:
    text = edit(kdir, CM, "    - kind: units\n", "    - kind: unit\n")
    err = the_error(kdir)
    assert err.file == fname(CM)
    assert err.field == "rules.children[0]"
    assert err.line == line_of(text, "- kind: unit")
    assert "'unit'" in err.message and "credits_from_group" in err.message


def test_missing_required_field(kdir: Path) -> None:
    text = edit(kdir, UNITS, "    glh: 6\n", "", after='ref: "8577-305"')
    err = the_error(kdir)
    assert err.file == fname(UNITS)
    assert err.field == "units[1].glh"
    # A missing field has no line of its own: it is placed at its unit's first line.
    assert err.line == line_of(text, 'ref: "8577-305"')
    assert "required field is missing" in err.message


def test_missing_required_field_in_a_rule_node(kdir: Path) -> None:
    before = (kdir / CM).read_text(encoding="utf-8")
    node_line = line_of(before, "id: group-1", occurrence=2) - 1  # the "- kind: credits_from_group" line
    text = edit(kdir, CM, "          group: group-1\n", "")
    assert "credits_from_group" in text.splitlines()[node_line - 1]
    err = the_error(kdir)
    assert err.file == fname(CM)
    assert err.field == "rules.children[1].options[0].group"
    assert err.line == node_line
    assert "required field is missing" in err.message


def test_a_list_that_really_is_too_short_is_still_reported(kdir: Path) -> None:
    text = edit(
        kdir,
        AWARD,
        '  units: ["8577-304", "8577-305", "8577-307"]\nprogramme',
        "  units: []\nprogramme",
    )
    err = the_error(kdir)
    assert (err.file, err.field) == (fname(AWARD), "rules.units")
    assert err.line == line_of(text, "units: []")
    assert "at least 1 item" in err.message


def test_invalid_email(kdir: Path) -> None:
    text = edit(kdir, CM, "email: customer@i-l-m.com", "email: customer")
    err = the_error(kdir)
    assert (err.file, err.field, err.line) == (fname(CM), "contact.email", line_of(text, "email: customer"))


# -- cross-checks ------------------------------------------------------------------


def test_unknown_unit_in_a_group(kdir: Path) -> None:
    text = edit(kdir, CM, '["8578-302", "8578-303"]', '["8578-302", "8578-399"]')
    errors = errors_of(kdir)
    unknown = [e for e in errors if "8578-399" in e.message]
    assert len(unknown) == 1
    err = unknown[0]
    assert err.file == fname(CM)
    assert err.field == "groups[1].units[1]"
    assert err.line == line_of(text, "8578-399")
    assert err.message == "unknown unit 8578-399"


def test_unknown_unit_in_a_rule(kdir: Path) -> None:
    text = edit(
        kdir,
        AWARD,
        '  units: ["8577-304", "8577-305", "8577-307"]\nprogramme',
        '  units: ["8577-304", "8577-395", "8577-307"]\nprogramme',
    )
    err = the_error(kdir)
    assert err.file == fname(AWARD)
    assert err.field == "rules.units[1]"
    assert err.line == line_of(text, "8577-395")
    assert err.message == "unknown unit 8577-395"


def test_unknown_unit_in_an_equivalence(kdir: Path) -> None:
    text = edit(kdir, UNITS, '- ["8577-307", "8578-307"]', '- ["8577-307", "8578-308"]')
    err = the_error(kdir)
    assert (err.file, err.field) == (fname(UNITS), "equivalences[2][1]")
    assert err.line == line_of(text, "8578-308")
    assert "unknown unit 8578-308" in err.message


def test_unknown_group_in_a_rule(kdir: Path) -> None:
    text = edit(kdir, CM, "          group: group-2\n", "          group: group-3\n")
    err = the_error(kdir)
    assert err.file == fname(CM)
    assert err.field == "rules.children[1].options[1].group"
    assert err.line == line_of(text, "group: group-3")
    assert "group-3" in err.message and "group-2" in err.message


def test_duplicate_unit_reference_in_units_file(kdir: Path) -> None:
    text = (kdir / UNITS).read_text(encoding="utf-8")
    start = text.index('  - ref: "8577-307"')
    block = text[start : text.index("\n\n", start) + 2]
    text = edit(kdir, UNITS, "\n# Both brochures list", "\n" + block.rstrip("\n") + "\n\n# Both brochures list")
    err = the_error(kdir)
    assert err.file == fname(UNITS)
    assert err.field == "units[10].ref"
    assert err.line == line_of(text, 'ref: "8577-307"', occurrence=2)
    assert err.message == "duplicate unit reference 8577-307"


def test_unit_listed_twice_in_a_group(kdir: Path) -> None:
    text = edit(kdir, CM, '["8578-302", "8578-303"]', '["8578-302", "8578-302"]')
    errors = errors_of(kdir)
    twice = [e for e in errors if "twice" in e.message]
    assert len(twice) == 1
    assert (twice[0].file, twice[0].field) == (fname(CM), "groups[1].units")
    assert twice[0].line == line_of(text, '["8578-302", "8578-302"]')


def test_unit_listed_twice_in_a_rule(kdir: Path) -> None:
    text = edit(
        kdir,
        AWARD,
        '  units: ["8577-304", "8577-305", "8577-307"]\nprogramme',
        '  units: ["8577-304", "8577-305", "8577-305"]\nprogramme',
    )
    errors = errors_of(kdir)
    twice = [e for e in errors if "twice" in e.message]
    assert len(twice) == 1
    assert (twice[0].file, twice[0].field) == (fname(AWARD), "rules.units")
    assert twice[0].line == line_of(text, '["8577-304", "8577-305", "8577-305"]')


def test_stated_credits_must_equal_what_the_rules_require(kdir: Path) -> None:
    text = edit(kdir, CERT, "credits: 13\n", "credits: 14\n")
    err = the_error(kdir)
    assert err.file == fname(CERT)
    assert err.field == "credits"
    assert err.line == line_of(text, "credits: 14")
    assert "14" in err.message and "13" in err.message


def test_stated_credits_of_coaching_and_mentoring(kdir: Path) -> None:
    text = edit(kdir, CM, "credits: 16\n", "credits: 15\n")
    err = the_error(kdir)
    assert (err.file, err.field, err.line) == (fname(CM), "credits", line_of(text, "credits: 15"))
    assert "16" in err.message


def test_one_of_options_must_require_the_same_credits(kdir: Path) -> None:
    edit(kdir, CM, "          credits: 10\n", "          credits: 9\n", after="id: group-2\n          description")
    errors = errors_of(kdir)
    assert any(e.file == fname(CM) and "different credits" in e.message for e in errors), errors


def test_group_too_small_for_its_credits(kdir: Path) -> None:
    text = edit(
        kdir, CM, "          credits: 10\n", "          credits: 11\n", after="id: group-2\n          description"
    )
    errors = errors_of(kdir)
    small = [e for e in errors if "only has" in e.message]
    assert len(small) == 1
    assert small[0].field == "rules.children[1].options[1].credits"
    assert small[0].line == line_of(text, "credits: 11")


def test_progression_target_unknown(kdir: Path) -> None:
    text = edit(
        kdir, CERT, "- qualification: l3-certificate-coaching-mentoring", "- qualification: l5-certificate-coaching"
    )
    err = the_error(kdir)
    assert err.file == fname(CERT)
    assert err.field == "progression[0].qualification"
    assert err.line == line_of(text, "l5-certificate-coaching")
    assert "l5-certificate-coaching" in err.message and "external" in err.message


def test_progression_to_itself(kdir: Path) -> None:
    text = edit(
        kdir, CERT, "- qualification: l3-certificate-coaching-mentoring", "- qualification: l3-certificate-mentoring"
    )
    err = the_error(kdir)
    assert (err.file, err.field) == (fname(CERT), "progression[0].qualification")
    assert err.line == line_of(text, "- qualification: l3-certificate-mentoring")
    assert "itself" in err.message


def test_progression_with_both_targets(kdir: Path) -> None:
    """A route is a known qualification or an external one, never both.

    The file fails validation, yet the routes of the other files to it are
    not reported as unknown: the one real error is the only one.
    """
    text = edit(
        kdir,
        CERT,
        "- qualification: l3-certificate-coaching-mentoring\n",
        "- qualification: l3-certificate-coaching-mentoring\n    external: Something else\n",
    )
    err = the_error(kdir)
    assert (err.file, err.field) == (fname(CERT), "progression[0]")
    assert err.line == line_of(text, "- qualification: l3-certificate-coaching-mentoring")
    assert "exactly one" in err.message


def test_a_syntax_error_does_not_make_progression_routes_unknown(kdir: Path) -> None:
    edit(kdir, CM, "  - C&M\n", "\t- C&M\n")
    errors = errors_of(kdir)
    assert {e.file for e in errors} == {fname(CM)}, "\n".join(map(str, errors))


# -- several errors ------------------------------------------------------------------


def test_several_errors_are_all_reported(kdir: Path) -> None:
    """Errors in four files, of four sorts, come back together with file, line and field."""
    org = edit(kdir, ORGANISATION, "name: ILM\n", "name: ILM\nmotto: Lead on\n")
    cm = edit(kdir, CM, "level: 3\n", "level: three\n")
    cert = edit(kdir, CERT, "credits: 13\n", "credits: 12\n")
    award = edit(kdir, AWARD, "- qualification: l3-certificate-mentoring", "- qualification: l3-certificate-mentor")
    errors = errors_of(kdir)
    got = {(e.file, e.line, e.field) for e in errors}
    expected = {
        (fname(ORGANISATION), line_of(org, "motto: Lead on"), "motto"),
        (fname(CM), line_of(cm, "level: three"), "level"),
        (fname(CERT), line_of(cert, "credits: 12"), "credits"),
        (fname(AWARD), line_of(award, "l3-certificate-mentor"), "progression[0].qualification"),
    }
    assert got == expected, "\n".join(map(str, errors))


def test_several_errors_in_one_file(kdir: Path) -> None:
    edit(kdir, UNITS, "    credits: 7\n", "    credits: seven\n", after='ref: "8577-306"')
    text = edit(kdir, UNITS, "    level: 3\n", "    level: 9\n", after='ref: "8578-303"')
    text = edit(kdir, UNITS, "    glh: 9\n", "    glh: -9\n", after='ref: "8578-304"')
    errors = errors_of(kdir)
    got = {(e.file, e.line, e.field) for e in errors}
    assert got == {
        (fname(UNITS), line_of(text, "credits: seven"), "units[2].credits"),
        (fname(UNITS), line_of(text, "level: 9"), "units[6].level"),
        (fname(UNITS), line_of(text, "glh: -9"), "units[7].glh"),
    }
    message = str(KnowledgeInvalidError(errors))
    assert message.count(fname(UNITS)) == 3


def test_aliases_and_unreadable_files_are_reported_not_crashed_on(kdir: Path) -> None:
    (kdir / "organisation.yaml").write_text(
        (kdir / "organisation.yaml").read_text(encoding="utf-8") + "a: &a [*a]\n", encoding="utf-8"
    )
    (kdir / "qualifications" / "x.yaml").mkdir()
    messages = [f"{e.file}: {e.message}" for e in errors_of(kdir)]
    assert any("organisation.yaml" in m and "aliases" in m for m in messages), messages
    assert any("x.yaml" in m and "cannot be read" in m for m in messages), messages
