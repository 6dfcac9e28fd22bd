"""The parse cache (scripts/common/parsed.py) never hands back a stale or shared result."""

from __future__ import annotations

from ruamel.yaml import YAML

from scripts.common import parsed


def test_same_text_is_parsed_once_and_each_caller_gets_its_own_copy(tmp_path):
    calls = []

    def parser(text):
        calls.append(text)
        return YAML(typ="rt").load(text)

    text = f"# {tmp_path}\n- name: a\n  port: 1\n"
    first = parsed.parse("test", text, parser, cache=tmp_path)
    first[0]["name"] = "changed by a caller"
    second = parsed.parse("test", text, parser, cache=tmp_path)
    assert len(calls) == 1
    assert second[0]["name"] == "a"
    assert second[0].lc.key("port")[0] == 2  # line numbers survive (0-based)


def test_an_edited_text_is_parsed_again(tmp_path):
    parser = YAML(typ="safe").load
    assert parsed.parse("test", f"# {tmp_path}\nv: 1\n", parser, cache=tmp_path) == {"v": 1}
    assert parsed.parse("test", f"# {tmp_path}\nv: 2\n", parser, cache=tmp_path) == {"v": 2}


def test_the_disk_copy_serves_a_new_process(tmp_path):
    text = f"# {tmp_path}\nv: 3\n"
    parsed.parse("test", text, YAML(typ="safe").load, cache=tmp_path)
    parsed._memory.clear()  # as a new build process starts

    def must_not_run(_text):
        raise AssertionError("parsed again although the disk copy exists")

    assert parsed.parse("test", text, must_not_run, cache=tmp_path) == {"v": 3}
