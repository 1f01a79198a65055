"""Coverage reports for TAs: one row per student, from what the store holds now."""

from __future__ import annotations

import csv
import io
import json
from collections import Counter
from dataclasses import asdict, dataclass, field

from bot.store import Store

SECTIONS = ("problem", "movie_example", "strengths_limitations")


@dataclass
class StudentRow:
    """One student's line in the coverage report."""

    student: str
    name: str
    team: str
    tool: str
    post_url: str
    platform: str
    title: str = ""
    words: int = 0
    sections: dict[str, str] = field(default_factory=dict)
    flags: list[str] = field(default_factory=list)
    comment_links: int = 0
    reviews_to_give: int = 0
    reviews_to_receive: int = 0


@dataclass
class Coverage:
    course: str
    rows: list[StudentRow]

    def totals(self) -> dict[str, int]:
        flags = Counter(flag.split(":", 1)[0] for row in self.rows for flag in row.flags)
        totals = {"students": len(self.rows), "with_post": sum(1 for r in self.rows if r.post_url)}
        for section in SECTIONS:
            totals[section] = sum(1 for r in self.rows if r.sections.get(section) == "yes")
        totals["comment_links"] = sum(r.comment_links for r in self.rows)
        totals.update({f"flag:{k}": v for k, v in sorted(flags.items())})
        return totals


def coverage(store: Store, course: str) -> Coverage:
    """Collect the report rows for every active student."""
    flags: dict[str, list[str]] = {}
    for flag in store.rows("flags", "resolved_at is null", order_by="kind"):
        flags.setdefault(flag["student_key"], []).append(f"{flag['kind']}: {flag['detail']}")
    posts = {p["student_key"]: p for p in store.rows("posts", "status = 'current'")}
    links = Counter(c["reviewer_key"] for c in store.rows("comments"))
    active = list(store.rows("assignments", "status = 'active'"))
    gives = Counter(a["reviewer_key"] for a in active)
    receives = Counter(a["author_key"] for a in active)
    rows = []
    for student in store.rows("students", "active = 1 and role = 'student'", order_by="name"):
        post = posts.get(student["key"], {})
        found = list(flags.get(student["key"], []))
        if post.get("fetch_status") == "failed":
            found.append(f"unreachable: {post.get('fetch_reason') or 'unknown reason'}")
        for flag in json.loads(post.get("post_flags") or "[]"):
            if flag != "video_post":  # sync has flagged it from the link already
                found.append(f"{flag}: seen on the page")
        rows.append(
            StudentRow(
                student=student["key"],
                name=student["name"],
                team=student["team"] or "",
                tool=student["tool"] or "",
                post_url=post.get("url", ""),
                platform=post.get("platform", ""),
                title=post.get("title") or "",
                words=post.get("words") or 0,
                sections={s: "not checked" for s in SECTIONS} if post else {},
                flags=found,
                comment_links=links.get(student["key"], 0),
                reviews_to_give=gives.get(student["key"], 0),
                reviews_to_receive=receives.get(student["key"], 0),
            )
        )
    return Coverage(course=course, rows=rows)


def render_table(report: Coverage, width: int = 110) -> str:
    """A plain-text table for the terminal."""
    header = ["student", "team", "tool", "post", "reviews", "flags"]
    lines = []
    for row in report.rows:
        kinds = sorted({f.split(":", 1)[0] for f in row.flags})
        post = (row.platform or "-") if row.post_url else "none"
        reviews = (
            f"gives {row.reviews_to_give}, gets {row.reviews_to_receive}" if row.reviews_to_give else "-"
        )
        lines.append([row.name, row.team, row.tool or "-", post, reviews, ", ".join(kinds) or "ok"])
    widths = [max(len(str(x)) for x in col) for col in zip(header, *lines, strict=False)]
    widths[-1] = max(10, min(widths[-1], width - sum(widths[:-1]) - 2 * len(widths)))

    def fmt(cells: list[str]) -> str:
        return "  ".join(str(c)[:w].ljust(w) for c, w in zip(cells, widths, strict=True)).rstrip()

    out = [f"Coverage: {report.course}", fmt(header), fmt(["-" * w for w in widths])]
    out += [fmt(line) for line in lines]
    totals = report.totals()
    out.append("")
    out.append(
        f"{totals['students']} students, {totals['with_post']} with a post link, "
        f"{totals['comment_links']} comment links reported"
    )
    flag_totals = [f"{k[5:]} {v}" for k, v in totals.items() if k.startswith("flag:")]
    if flag_totals:
        out.append("flags: " + ", ".join(flag_totals))
    return "\n".join(out)


def render_csv(report: Coverage) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(
        [
            "student",
            "name",
            "team",
            "tool",
            "post_url",
            "platform",
            *SECTIONS,
            "flags",
            "comment_links",
            "reviews_to_give",
            "reviews_to_receive",
        ]
    )
    for row in report.rows:
        writer.writerow(
            [row.student, row.name, row.team, row.tool, row.post_url, row.platform]
            + [row.sections.get(s, "") for s in SECTIONS]
            + ["; ".join(row.flags), row.comment_links, row.reviews_to_give, row.reviews_to_receive]
        )
    return buffer.getvalue()


def render_json(report: Coverage) -> str:
    return json.dumps(
        {
            "course": report.course,
            "students": [asdict(r) for r in report.rows],
            "totals": report.totals(),
        },
        indent=2,
    )
