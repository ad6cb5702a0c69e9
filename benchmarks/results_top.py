"""The top of RESULTS.md: what compare.sh writes, before the first section that another driver or a hand wrote (a
line "<!-- NAME:begin ..."). compare.sh replaces only the top, so a section made from a compare.sh run's numbers
belongs in it: the next run then replaces it too, instead of leaving it behind, stale, among the others.
"""


def put_in_top(path, section):
    """Puts the Markdown section (its first line a "## " heading) at the end of the top of the file at path,
    in place of an earlier section with the same heading there."""
    section = section.strip("\n")
    heading = section.split("\n", 1)[0].strip()
    with open(path) as f:
        lines = f.read().split("\n")
    end = next((i for i, line in enumerate(lines) if line.startswith("<!-- ") and ":begin" in line), len(lines))
    top, rest = lines[:end], lines[end:]
    start = next((i for i, line in enumerate(top) if line.strip() == heading), None)
    if start is not None:
        stop = next((i for i in range(start + 1, len(top)) if top[i].startswith("## ")), len(top))
        top = top[:start] + top[stop:]
    while top and top[-1] == "":
        top.pop()
    text = "\n".join(top) + "\n\n" + section + "\n"
    if rest:
        text += "\n" + "\n".join(rest)
    with open(path, "w") as f:
        f.write(text)
