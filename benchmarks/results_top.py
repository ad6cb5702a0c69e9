"""The top of RESULTS.md: what compare.sh writes, before the first section that another driver or a hand wrote (a
line "<!-- NAME:begin ..."). compare.sh replaces only the top, so a section made from a compare.sh run's numbers
belongs in it: the next run then replaces it too, instead of leaving it behind, stale, among the others.
compare.sh finds the first section by the same rule (ReportSection.keepingSectionsOf).
"""


def put_in_top(path, section):
    """Puts the Markdown section (its first line a "## " heading) in the top of the file at path: in place of an
    earlier section with the same heading there, or else at the end of the top."""
    section = section.strip("\n").split("\n")
    heading = section[0].strip()
    with open(path) as f:
        lines = f.read().split("\n")
    end = next((i for i, line in enumerate(lines) if line.startswith("<!-- ") and ":begin" in line), len(lines))
    top, rest = lines[:end], lines[end:]
    while top and top[-1] == "":
        top.pop()
    start = next((i for i, line in enumerate(top) if line.strip() == heading), None)
    if start is None:
        top = top + [""] + section
    else:
        stop = next((i for i in range(start + 1, len(top)) if top[i].startswith("## ")), len(top))
        top = top[:start] + section + ([""] if stop < len(top) else []) + top[stop:]
    text = "\n".join(top) + "\n"
    if rest:
        text += "\n" + "\n".join(rest)
    with open(path, "w") as f:
        f.write(text)
