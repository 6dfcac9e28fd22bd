"""The reference pages are built for use: every cheat-sheet command says what it does.

Plain text checks (no browser); each check is a function over the page's text, so a planted
page proves it can fail.
"""

from __future__ import annotations

import re

from scripts import project

CHEAT_SHEET = project.DOCS / "reference" / "kubectl-cheat-sheet.md"
PROGRAMS = ("kubectl", "etcdctl", "etcdutl", "kubeadm", "helm")
FENCE = re.compile(r"^```(?P<lang>\w*)")


def uncommented_commands(text: str) -> list[str]:
    """`line N: command` for each command in a bash fence with no comment saying what it does:
    neither a `# ...` line right above it nor a trailing `# ...` on the line."""
    problems, fence, previous = [], None, ""
    for number, line in enumerate(text.splitlines(), 1):
        match = FENCE.match(line)
        if match:
            fence = match["lang"] if fence is None else None
            previous = ""
            continue
        if fence == "bash" and line.split(" ", 1)[0] in PROGRAMS:
            trailing = re.search(r"\s#\s*\S", line.split("'")[-1])
            above = re.match(r"#\s*\S", previous)
            if not (trailing or above):
                problems.append(f"line {number}: {line}")
        if fence == "bash" and not previous.rstrip().endswith("\\"):
            previous = line
    return problems


def test_every_cheat_sheet_command_says_what_it_does() -> None:
    text = CHEAT_SHEET.read_text(encoding="utf-8")
    assert uncommented_commands(text) == []
    assert text.count("\nkubectl ") > 50, "the cheat sheet lost its commands"


def test_a_command_without_a_comment_is_found() -> None:
    planted = "\n".join(
        [
            "```bash",
            "# add a taint",
            "kubectl taint nodes n1 app=db:NoSchedule",
            "kubectl taint nodes n1 app=db:NoSchedule-",
            "kubectl get pods  # list Pods",
            "kubectl get secret s -o jsonpath='{.data.a#b}'",
            "```",
            "kubectl outside-a-fence",
        ]
    )
    assert uncommented_commands(planted) == [
        "line 4: kubectl taint nodes n1 app=db:NoSchedule-",
        "line 6: kubectl get secret s -o jsonpath='{.data.a#b}'",
    ]
