"""Broken rubric files: an author gets every problem at once, each naming file and place."""

import pytest

from server.rubrics import RubricFileError, RubricRegistry, check_rubric_files, load_rubric_file

HEADER = """
id = "town"
version = 1
kind = "survey"
title = "町の調査票"
"""
ITEMS = """
[[sections]]
key = "main"
title = "本体"

[[sections.items]]
key = "roof"
label = "屋根"
type = "choice"
options = [{ value = "ok", label = "異常なし" }, { value = "bad", label = "破損", points = { decay = 15 } }]
"""
SCORING = """
[[scoring.categories]]
key = "decay"
label = "腐朽"
"""


def write(tmp_path, text, name="town.v1.toml"):
    path = tmp_path / name
    path.write_text(HEADER + text, encoding="utf-8")
    return path


def errors_of(path) -> list[str]:
    with pytest.raises(RubricFileError) as raised:
        load_rubric_file(path)
    return raised.value.errors


def item(key, body):
    return f'\n[[sections.items]]\nkey = "{key}"\nlabel = "{key}"\n{body}\n'


def ranks(*bands):
    return "".join(f'\n[[scoring.ranks]]\ncode = "{c}"\nlabel = "{c}"\nmin = {lo}\n' + (f"max = {hi}\n" if hi is not None
                   else "") for c, lo, hi in bands)


def test_a_minimal_file_is_valid(tmp_path):
    assert load_rubric_file(write(tmp_path, ITEMS + SCORING)).id == "town"


def test_every_problem_is_reported_at_once_naming_file_and_item(tmp_path):
    path = write(tmp_path, ITEMS
                 + item("note", 'type = "text"\nmax_length = 5\nshow_if = { item = "roof", in = ["gone"] }')
                 + item("count", 'type = "number"\nmin = 5\nmax = 1')
                 + item("kind", 'type = "choice"\noptions = [{ label = "値なし" }, { value = "x", label = "X" }]')
                 + item("count", 'type = "boolean"'))
    errors = errors_of(path)
    assert all(e.startswith("town.v1.toml: ") for e in errors)
    expected = [
        ("item 'roof'", "undeclared category 'decay'"),
        ("item 'note' / show_if", "'gone' is not an option of 'roof'"),
        ("item 'count'", "min 5 is greater than max 1"),
        ("item 'kind' / option #1 / value", "Field required"),
        ("item key 'count'", "duplicate item key 'count'"),
    ]
    for place, problem in expected:
        assert any(place in e and problem in e for e in errors), (place, problem, errors)
    assert len(errors) == len(expected)


def test_messages_are_readable_in_japanese_too(tmp_path):
    errors = errors_of(write(tmp_path, ITEMS))
    assert errors == ["town.v1.toml: item 'roof' / option 'bad': points for undeclared category 'decay'"
                      " / 点数区分 'decay' が scoring.categories にありません"]


@pytest.mark.parametrize("body, problem", [
    (item("a", 'type = "boolean"\nshow_if = { item = "nothing", in = [true] }'), "unknown item 'nothing'"),
    (item("a", 'type = "boolean"\nshow_if = { item = "b", in = [true] }') + item("b", 'type = "boolean"'),
     "refers to 'b', which is not an earlier item"),
    (item("a", 'type = "boolean"\nshow_if = { item = "a", in = [true] }'), "not an earlier item"),
    (item("n", 'type = "number"') + item("a", 'type = "boolean"\nshow_if = { item = "n", in = ["1"] }'),
     "only choice, multi and boolean items can be conditions"),
    (item("b", 'type = "boolean"') + item("a", 'type = "boolean"\nshow_if = { item = "b", in = ["true"] }'),
     "'true' is not an option of 'b'"),
    (item("n", 'type = "number"\noptions = [{ value = "x", label = "X" }]'), "a number item cannot have options"),
    (item("t", 'type = "text"'), "a text item needs max_length"),
    (item("t", 'type = "text"\nmax_length = 5\nmin = 1'), "belong to number items only"),
    (item("t", 'type = "text"\nmax_length = 2001'), "max_length 2001 is over 2000"),
    (item("c", 'type = "choice"\noptions = [{ value = "x", label = "X" }]'), "needs two or more options"),
    (item("c", 'type = "choice"\noptions = [{ value = "x", label = "X" }, { value = "x", label = "Y" }]'),
     "duplicate option value 'x'"),
    (item("c", 'type = "choice"\noptions = [{ value = "x", label = "X", flags = ["ghost"] }, '
               '{ value = "y", label = "Y" }]'), "undeclared flag 'ghost'"),
    (item("c", 'type = "choice"\noptions = [{ value = "x", label = "X", points = { decay = -1 } }, '
               '{ value = "y", label = "Y" }]'), "points must not be negative"),
    (item("n", 'type = "number"\ninteger = true\nmin = 0.5'), "needs whole-number bounds"),
    (item("a", 'type = "boolean"\nrequires_option = "sauna"'), "'sauna' is not a service option"),
    (item("a", 'type = "checkbox"'), "Input should be 'choice', 'multi', 'boolean', 'number' or 'text'"),
    (item("Bad-Key", 'type = "boolean"'), "should match pattern"),
    (item("a", 'type = "boolean"\ncolour = "red"'), "Extra inputs are not permitted"),
])
def test_each_kind_of_item_problem_is_reported(tmp_path, body, problem):
    errors = errors_of(write(tmp_path, '[[sections]]\nkey = "main"\ntitle = "本体"\n' + body + SCORING))
    assert any(problem in e for e in errors), errors


SECTION = '[[sections]]\nkey = "main"\ntitle = "本体"\n' + item("a", 'type = "boolean"') + SCORING


@pytest.mark.parametrize("scoring, problem", [
    (ranks(("A", 0, 10), ("B", 10, 20), ("C", 21, None)), "ranks 'A' and 'B' overlap"),
    (ranks(("A", 0, 10), ("B", 12, 20), ("C", 21, None)), "no rank covers 11 to 11"),
    (ranks(("A", 5, 10), ("B", 11, 20), ("C", 21, None)), "no rank covers 0 to 4"),
    (ranks(("A", 0, 10), ("B", 11, 20), ("C", 21, 30)), "the highest rank 'C' needs no max"),
    (ranks(("A", 0, 10), ("B", 11, None)), "a rank scheme needs 3 to 6 ranks, not 2"),
    (ranks(*[(c, i, i) for i, c in enumerate("ABCDEF")], ("G", 6, None)), "needs 3 to 6 ranks, not 7"),
    (ranks(("A", 11, 20), ("B", 0, 10), ("C", 21, None)), "must be listed in order of their bounds"),
    (ranks(("A", 0, 10), ("A", 11, 20), ("C", 21, None)), "duplicate rank code 'A'"),
    (ranks(("A", 10, 5), ("B", 11, 20), ("C", 21, None)), "min 10 is greater than max 5"),
    ('[[scoring.judgements]]\nkey = "j"\nlabel = "J"\ncategory = "vacancy"\n'
     'levels = [{ value = "低", min = 0, max = 3 }, { value = "高", min = 4 }]', "category 'vacancy' is not declared"),
    ('[[scoring.judgements]]\nkey = "j"\nlabel = "J"\ncategory = "decay"\n'
     'levels = [{ value = "低", min = 0, max = 3 }, { value = "高", min = 5 }]', "no level covers 4 to 4"),
    ('[[scoring.multipliers]]\nkey = "m"\nlabel = "M"\npercent = 150\nwhen = { item = "zz", in = [true] }',
     "unknown item 'zz'"),
    ('[[scoring.flags]]\nkey = "f"\nlabel = "F"\nlevel = "urgent"', "Input should be 'notice', 'action' or 'hazard'"),
    ('[[scoring.flags]]\nkey = "f"\nlabel = "F"\nlevel = "action"\ncategory = "noise"', "Input should be 'safety'"),
    ('[[scoring.categories]]\nkey = "decay"\nlabel = "again"', "duplicate category key 'decay'"),
])
def test_each_kind_of_scoring_problem_is_reported(tmp_path, scoring, problem):
    errors = errors_of(write(tmp_path, SECTION + "\n" + scoring))
    assert any(problem in e for e in errors), errors


def test_the_file_name_must_match_id_and_version(tmp_path):
    errors = errors_of(write(tmp_path, ITEMS + SCORING, name="town.v2.toml"))
    assert errors == ["town.v2.toml: (file): file name must be 'town.v1.toml' / ファイル名は 'town.v1.toml' にしてください"]


def test_a_toml_syntax_error_is_one_readable_error(tmp_path):
    errors = errors_of(write(tmp_path, "[[sections]\n"))
    assert len(errors) == 1 and errors[0].startswith("town.v1.toml: cannot read the file:")


def test_check_rubric_files_lists_the_errors_of_every_file(tmp_path):
    good = write(tmp_path, ITEMS + SCORING)
    (tmp_path / "other").mkdir()
    broken = write(tmp_path / "other", ITEMS, name="town.v1.toml")
    errors = check_rubric_files([good, broken])
    assert errors == ["town.v1.toml: item 'roof' / option 'bad': points for undeclared category 'decay'"
                      " / 点数区分 'decay' が scoring.categories にありません"]
    assert check_rubric_files([good]) == []


def test_two_files_with_the_same_id_and_version_are_an_error(tmp_path):
    first = write(tmp_path, ITEMS + SCORING)
    (tmp_path / "copy").mkdir()
    second = write(tmp_path / "copy", ITEMS + SCORING)
    assert check_rubric_files([first, second]) == [
        "town.v1.toml: town v1 is also defined in town.v1.toml / 同じ id・version が town.v1.toml にもあります"]


def test_registry_latest_is_the_highest_version(tmp_path):
    write(tmp_path, ITEMS + SCORING)
    (tmp_path / "town.v2.toml").write_text(HEADER.replace("version = 1", "version = 2") + ITEMS + SCORING, "utf-8")
    registry = RubricRegistry.load_dir(tmp_path)
    assert registry.latest("town").version == 2
    assert [r.version for r in registry.all()] == [1, 2]


def test_registry_refuses_a_directory_with_a_broken_file(tmp_path):
    write(tmp_path, ITEMS)
    with pytest.raises(RubricFileError, match="undeclared category"):
        RubricRegistry.load_dir(tmp_path)


def test_audience_photo_slot_and_waiver_item_must_refer_to_what_exists(tmp_path):
    text = (ITEMS.replace('options = [{ value = "ok"', 'photo_slot = "closeup"\noptions = [{ value = "ok"')
            + item("note", 'type = "choice"\naudience = "owner"\noptions = [{ value = "a", label = "a" }, { value = "b", label = "b" }]')
            + item("why", 'type = "text"\nmax_length = 10\naudience = "internal"')
            + SCORING + '\n[[photo_slots]]\nkey = "front"\nlabel = "正面"\nwaiver_item = "why"\n')
    errors = errors_of(write(tmp_path, text))
    assert any("item 'note'" in e and "audience belongs to text items only" in e for e in errors), errors
    assert any("item 'roof' / photo_slot" in e and "'closeup'" in e for e in errors), errors
    assert any("photo slot 'front' / waiver_item" in e and "not a choice item" in e for e in errors), errors
