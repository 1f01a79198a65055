"""The coverage report as one static HTML page for TAs: works offline, from a file or an attachment.

Everything is inline: CSS, the charts (SVG drawn here), and a small script that sorts (click a
column header) and filters (text box, section and flag selectors). The page loads nothing from
anywhere: its Content-Security-Policy forbids every fetch, and only the script whose hash it names
may run, so even a string that escaped escaping could not execute. Every student-supplied string
(names, titles, evidence, URLs) is HTML-escaped; only http(s) links become links.

The filters can be set from the URL's fragment, so a TA can bookmark a view, e.g.
`report.html#flag=late&section=problem:no&sort=name:desc&q=team-2`.
"""

from __future__ import annotations

import base64
import hashlib
import html
from collections import Counter
from pathlib import Path

from bot.report import (
    FLAG_LABELS,
    NO,
    NO_POST,
    NOT_CHECKED,
    NOT_JUDGED,
    SECTION_LABELS,
    SECTIONS,
    YES,
    Coverage,
    Review,
    StudentRow,
    Verdict,
    parse_time,
    safe_url,
)


def esc(value: object) -> str:
    """Text or attribute value, escaped (quotes included)."""
    return html.escape("" if value is None else str(value), quote=True)


def link(url: str, text: str, *, cls: str = "", title: str = "") -> str:
    """An <a> to an http(s) URL that opens in a new tab; anything else is plain text."""
    href = safe_url(url)
    if not href:
        return f'<span class="{esc(cls)}">{esc(text)}</span>' if cls else esc(text)
    extra = f' class="{esc(cls)}"' if cls else ""
    extra += f' title="{esc(title)}"' if title else ""
    return f'<a href="{esc(href)}" target="_blank" rel="noopener noreferrer"{extra}>{esc(text)}</a>'


# ---------------------------------------------------------------------------------------------
# charts


COLORS = {
    "present": "#2e7d32",
    "missing": "#d55e00",
    "not judged": "#e6ab02",
    "not checked": "#b0b7c3",
    "substantive": "#2e7d32",
    "not substantive": "#e6ab02",
    "waiting": "#5b8fd6",
    "missing comment": "#d55e00",
    "nothing yet": "#b0b7c3",
    "on time": "#2e7d32",
    "late": "#d55e00",
    "done": "#2e7d32",
    "part done": "#e6ab02",
    "none done": "#b0b7c3",
}


def stacked_bars(title: str, bars: list[tuple[str, list[tuple[str, int]]]], chart_id: str) -> str:
    """A horizontal stacked bar chart as inline SVG; each bar is (label, [(segment, count), ...]).

    The percentage after a bar is its first segment's share (the "good" one).
    """
    label_w, bar_w, row_h, top, width = 150, 350, 32, 8, 560
    names: list[str] = []
    for _, segments in bars:
        names += [name for name, _ in segments if name not in names]
    legend: list[list[str]] = [[]]  # legend entries, wrapped into lines that fit the width
    x = 0
    for name in names:
        w = 24 + 7 * len(name)
        if x + w > width - 8 and legend[-1]:
            legend.append([])
            x = 0
        legend[-1].append(name)
        x += w
    height = top + row_h * len(bars) + 20 * len(legend) + 8
    parts = [
        f'<svg id="{esc(chart_id)}" class="chart" viewBox="0 0 {width} {height}" width="{width}" '
        f'height="{height}" role="img" aria-labelledby="{esc(chart_id)}-title" '
        f'xmlns="http://www.w3.org/2000/svg">',
        f'<title id="{esc(chart_id)}-title">{esc(title)}</title>',
    ]
    for i, (label, segments) in enumerate(bars):
        y = top + i * row_h
        total = sum(n for _, n in segments)
        parts.append(
            f'<text x="{label_w - 8}" y="{y + 17}" text-anchor="end" class="bar-label">{esc(label)}</text>'
        )
        parts.append(f'<rect x="{label_w}" y="{y + 4}" width="{bar_w}" height="20" class="bar-bg"/>')
        x = label_w
        for name, count in segments:
            if not count or not total:
                continue
            w = bar_w * count / total
            parts.append(
                f'<rect x="{x:.1f}" y="{y + 4}" width="{w:.1f}" height="20" fill="{COLORS.get(name, "#888")}"'
                f' data-segment="{esc(name)}" data-count="{count}"><title>{esc(label)}: {count} {esc(name)}'
                "</title></rect>"
            )
            if w >= 22:
                parts.append(
                    f'<text x="{x + w / 2:.1f}" y="{y + 18}" text-anchor="middle" class="bar-count">'
                    f"{count}</text>"
                )
            x += w
        done = segments[0][1] if segments else 0
        pct = f"{100 * done / total:.0f}%" if total else "–"
        parts.append(f'<text x="{label_w + bar_w + 8}" y="{y + 18}" class="bar-pct">{pct}</text>')
    y = top + row_h * len(bars) + 6
    for line in legend:
        x = 8
        for name in line:
            parts.append(f'<rect x="{x}" y="{y}" width="12" height="12" fill="{COLORS.get(name, "#888")}"/>')
            parts.append(f'<text x="{x + 16}" y="{y + 10}" class="legend">{esc(name)}</text>')
            x += 24 + 7 * len(name)
        y += 20
    parts.append("</svg>")
    return "".join(parts)


CHART_LABELS = {
    "problem": "Problem",
    "movie_example": "Movie example",
    "strengths_limitations": "Strengths & limits",
}


def section_chart(report: Coverage) -> str:
    bars = []
    for s in SECTIONS:
        counts = Counter(row.sections.get(s, NO_POST) for row in report.rows)
        bars.append(
            (
                CHART_LABELS[s],
                [
                    ("present", counts[YES]),
                    ("missing", counts[NO]),
                    ("not judged", counts[NOT_JUDGED]),
                    ("not checked", counts[NOT_CHECKED] + counts[NO_POST]),
                ],
            )
        )
    return stacked_bars("Rubric sections found in the posts", bars, "chart-sections")


def comment_chart(report: Coverage) -> str:
    def segments(reviews: list[Review]) -> list[tuple[str, int]]:
        outcomes = Counter(r.outcome for r in reviews)
        return [
            ("substantive", outcomes["substantive"]),
            ("not substantive", outcomes["not substantive"]),
            ("waiting", outcomes["found"] + outcomes["reported"] + outcomes["unverified"]),
            ("missing comment", outcomes["missing"]),
            ("nothing yet", outcomes["nothing yet"]),
        ]

    given = [r for row in report.rows for r in row.assigned_given]
    on_time = [r for r in given if r.status == "found" and r.on_time]
    late = [r for r in given if r.status == "found" and r.on_time is False]
    bars = [("Assigned reviews", segments(given))]
    if on_time or late:
        bars.append(
            (
                "Found on time",
                [("on time", len(on_time)), ("late", len(late))],
            )
        )
    k = report.reviews_per_student
    complete = sum(1 for row in report.rows if row.assigned_given and row.reviews_substantive >= k)
    started = sum(1 for row in report.rows if row.assigned_given and 0 < row.reviews_substantive < k)
    none = sum(1 for row in report.rows if row.assigned_given) - complete - started
    bars.append(
        (
            f"Students done ({k})",
            [("done", complete), ("part done", started), ("none done", none)],
        )
    )
    return stacked_bars("Comment completion", bars, "chart-comments")


# ---------------------------------------------------------------------------------------------
# table


def _verdict_cell(section: str, verdict: Verdict) -> str:
    conf = "" if verdict.confidence is None else f"{verdict.confidence:.2f}"
    sort = -1.0 if verdict.confidence is None else verdict.confidence
    if verdict.status in (NOT_CHECKED, NO_POST):
        return f'<td class="v v-na" data-sort="-2"><span class="badge na">{esc(verdict.status)}</span></td>'
    if verdict.status == NOT_JUDGED:
        return (
            '<td class="v v-unjudged" data-sort="-1"><span class="badge unjudged" '
            'title="the post text could not be judged">not judged</span></td>'
        )
    yes = verdict.status == YES
    badge = '<span class="badge yes">✓ present</span>' if yes else '<span class="badge no">✗ missing</span>'
    summary = f'{badge} <span class="conf" title="confidence the section is there">{conf}</span>'
    if not verdict.evidence:
        note = "no passage found" if not yes else "no evidence stored"
        return (
            f'<td class="v v-{verdict.status}" data-sort="{sort}">{summary}'
            f'<div class="muted small">{note}</div></td>'
        )
    heading = f'<div class="ev-heading">under “{esc(verdict.heading)}”</div>' if verdict.heading else ""
    open_link = link(verdict.link, "open the post at this passage ↗", cls="ev-link") if verdict.link else ""
    return (
        f'<td class="v v-{verdict.status}" data-sort="{sort}"><details class="evidence">'
        f"<summary>{summary}</summary>{heading}"
        f'<blockquote data-section="{esc(section)}">{esc(verdict.evidence)}</blockquote>'
        f"{open_link}</details></td>"
    )


def _maybe_link(url: str, text: str) -> str:
    """A link when the URL is a web link; a note when it is something else; nothing when empty."""
    if not url:
        return ""
    if not safe_url(url):
        return '<span class="muted small" title="not an http(s) link">link not shown</span>'
    return link(url, text)


def _review_item(review: Review, *, received: bool) -> str:
    who = review.reviewer_name if received else (review.author_name or "(unknown post)")
    outcome = review.outcome
    cls = {
        "substantive": "yes",
        "not substantive": "warn",
        "missing": "no",
        "nothing yet": "na",
    }.get(outcome, "wait")
    bits = [f'<span class="badge {cls}">{esc(outcome)}</span>']
    if review.status == "found" and review.on_time is not None:
        bits.append(
            '<span class="badge yes">on time</span>'
            if review.on_time
            else '<span class="badge no">late</span>'
        )
    if not review.assigned:
        bits.append('<span class="badge na" title="not one of the assigned reviews">unasked</span>')
    target = _maybe_link(review.comment_url, "comment ↗")
    post = "" if received else _maybe_link(review.post_url, "post ↗")
    reasons = (
        f'<div class="reasons">{"; ".join(esc(r) for r in review.reasons)}</div>' if review.reasons else ""
    )
    score = f' <span class="conf">{review.score:.2f}</span>' if isinstance(review.score, int | float) else ""
    return (
        f'<li class="review"><span class="who">{esc(who)}</span> {" ".join(bits)}{score} '
        f"{target} {post}{reasons}</li>"
    )


def _reviews_cell(row: StudentRow, k: int) -> str:
    assigned = row.assigned_given
    if not row.reviews_given:
        return '<td class="reviews" data-sort="-1"><span class="muted">none assigned</span></td>'
    head = (
        f"{row.reviews_found}/{len(assigned)} found, {row.reviews_substantive} substantive"
        if assigned
        else "none assigned"
    )
    items = "".join(_review_item(r, received=False) for r in row.reviews_given)
    state = "done" if row.reviews_substantive >= k else "open"
    return (
        f'<td class="reviews {state}" data-sort="{row.reviews_substantive * 10 + row.reviews_found}">'
        f'<details><summary>{esc(head)}</summary><ul class="plain">{items}</ul></details></td>'
    )


def _received_cell(row: StudentRow) -> str:
    if not row.reviews_received:
        return '<td class="reviews" data-sort="-1"><span class="muted">—</span></td>'
    head = f"{row.comments_received}/{row.reviews_to_receive or len(row.reviews_received)} found"
    items = "".join(_review_item(r, received=True) for r in row.reviews_received)
    return (
        f'<td class="reviews" data-sort="{row.comments_received}">'
        f'<details><summary>{esc(head)}</summary><ul class="plain">{items}</ul></details></td>'
    )


GENERIC_DETAILS = {"from the rubric check", "seen on the page"}


def _flags_cell(row: StudentRow) -> str:
    if not row.flags:
        return '<td class="flags" data-sort="0"><span class="muted">none</span></td>'
    badges = []
    for flag in row.flags:
        kind, _, detail = flag.partition(":")
        label = FLAG_LABELS.get(kind, kind.replace("_", " "))
        detail = detail.strip()
        shown = "" if detail in GENERIC_DETAILS else f'<span class="detail">{esc(detail)}</span>'
        badges.append(
            f'<li><span class="flag flag-{esc(kind)}" title="{esc(detail)}">{esc(label)}</span>{shown}</li>'
        )
    return f'<td class="flags" data-sort="{len(row.flags)}"><ul class="plain">{"".join(badges)}</ul></td>'


POST_RANK = {"ok": 4, "not fetched": 3, "not public": 2, "unreachable": 1, "no post": 0}


def _post_cell(row: StudentRow) -> str:
    rank = POST_RANK.get(row.post_status, 0)
    if not row.post_url:
        return f'<td class="post" data-sort="{rank}"><span class="badge no">no post</span></td>'
    title = row.title or row.post_url
    cls = {"ok": "yes", "not fetched": "na"}.get(row.post_status, "no")
    status = f'<span class="badge {cls}">{esc(row.post_status)}</span>'
    if row.public is False:
        status += ' <span class="badge no">not public</span>' if row.post_status != "not public" else ""
    bits = [esc(x) for x in (row.platform, f"{row.words} words" if row.words else "") if x]
    if row.published:
        bits.append(f"published {esc(_when(row.published)[:10])}")
    if row.late == "unknown":
        bits.append(
            "<span title=\"first seen in the bot's first run, which came after the deadline: "
            'check the submission time">lateness unknown</span>'
        )
    elif row.late:
        bits.append(f'<span class="badge no">{esc(row.late)}</span>')
    meta = " · ".join(bits)
    reason = f'<div class="muted small">{esc(row.fetch_reason)}</div>' if row.fetch_reason else ""
    return (
        f'<td class="post" data-sort="{rank}">{link(row.post_url, title, cls="post-title")}'
        f'<div class="small">{status} <span class="muted">{meta}</span></div>{reason}</td>'
    )


def _row(row: StudentRow, k: int) -> str:
    sections_attr = " ".join(f"{s}:{row.sections.get(s, NO_POST).replace(' ', '-')}" for s in SECTIONS)
    search = " ".join(x for x in (row.name, row.team, row.tool, row.title, row.email, row.student) if x)
    reviews = "complete" if row.reviews_substantive >= k and row.assigned_given else "incomplete"
    received = "complete" if row.comments_received >= k else "incomplete"
    team = f'<div class="muted small">{esc(row.team)}</div>' if row.team else ""
    return (
        f'<tr data-flags="{esc(" ".join(row.flag_kinds))}" data-sections="{esc(sections_attr)}" '
        f'data-reviews="{reviews}" data-received="{received}" data-search="{esc(search.lower())}">'
        f'<td class="student" data-sort="{esc(row.name.lower())}"><span class="name">{esc(row.name)}</span>'
        f"{team}</td>"
        f'<td class="tool" data-sort="{esc(row.tool.lower())}">{esc(row.tool) or "—"}</td>'
        f"{_post_cell(row)}"
        + "".join(_verdict_cell(s, row.verdicts.get(s) or Verdict(NO_POST)) for s in SECTIONS)
        + f"{_flags_cell(row)}{_reviews_cell(row, k)}{_received_cell(row)}</tr>"
    )


COLUMNS = [
    ("name", "Student", "text"),
    ("tool", "Tool", "text"),
    ("post", "Post", "num"),
    *[(s, CHART_LABELS[s], "num") for s in SECTIONS],
    ("flags", "Flags", "num"),
    ("given", "Reviews given", "num"),
    ("received", "Comments got", "num"),
]


def _controls(report: Coverage) -> str:
    kinds = Counter(kind for row in report.rows for kind in row.flag_kinds)
    flag_options = ['<option value="">any flags</option>', '<option value="none">no flags</option>']
    flag_options += [
        f'<option value="{esc(kind)}">{esc(FLAG_LABELS.get(kind, kind))} ({n})</option>'
        for kind, n in sorted(kinds.items())
    ]
    section_options = [
        '<option value="">any sections</option>',
        '<option value="any:no">any section missing</option>',
        '<option value="any:not-checked">not checked yet</option>',
        '<option value="all:yes">all three present</option>',
    ]
    section_options += [f'<option value="{s}:no">{esc(SECTION_LABELS[s])} missing</option>' for s in SECTIONS]
    review_options = [
        '<option value="">any reviews</option>',
        '<option value="given:incomplete">reviews given incomplete</option>',
        '<option value="received:incomplete">comments received incomplete</option>',
    ]
    return (
        '<div class="controls" role="search">'
        '<label>Filter <input id="q" type="search" placeholder="name, team, tool, title…" '
        'autocomplete="off"></label>'
        f'<label>Sections <select id="section">{"".join(section_options)}</select></label>'
        f'<label>Flags <select id="flag">{"".join(flag_options)}</select></label>'
        f'<label>Reviews <select id="reviews">{"".join(review_options)}</select></label>'
        '<button id="reset" type="button">Reset</button>'
        f'<span id="count" aria-live="polite">{len(report.rows)} of {len(report.rows)} students</span>'
        "</div>"
    )


def _summary(report: Coverage) -> str:
    totals = report.totals()
    n = totals["students"] or 1
    cards = [
        ("students", str(totals["students"]), f"{totals['with_post']} with a post link"),
        ("posts reachable", str(totals["reachable"]), f"{totals['checked']} checked by the classifier"),
    ]
    for s in SECTIONS:
        cards.append(
            (SECTION_LABELS[s].lower(), f"{100 * totals[s] / n:.0f}%", f"{totals[s]} of {totals['students']}")
        )
    cards.append(
        (
            "reviews substantive",
            f"{totals['reviews_substantive']}/{totals['reviews_assigned']}",
            f"{totals['reviews_found']} found, {totals['reviews_on_time']} on time",
        )
    )
    return (
        '<div class="cards">'
        + "".join(
            f'<div class="card"><div class="card-label">{esc(a)}</div><div class="card-value">{esc(b)}</div>'
            f'<div class="muted small">{esc(c)}</div></div>'
            for a, b, c in cards
        )
        + "</div>"
    )


def render_html(report: Coverage) -> str:
    """The whole page as one string."""
    k = report.reviews_per_student
    head_cells = "".join(
        f'<th scope="col" data-key="{key}" data-type="{kind}" aria-sort="none">'
        f'<button type="button">{esc(label)}<span class="arrow" aria-hidden="true"></span></button></th>'
        for key, label, kind in COLUMNS
    )
    rows = "\n".join(_row(row, k) for row in report.rows)
    empty = (
        ""
        if report.rows
        else f'<tr class="empty"><td colspan="{len(COLUMNS)}">No students yet: run reviewbot sync.</td></tr>'
    )
    deadlines = " · ".join(
        f"{label} {esc(_when(value))}"
        for label, value in (
            ("posts due", report.post_due),
            ("comments due (with grace)", report.comments_due),
            ("generated", report.generated_at),
        )
        if value
    )
    script_hash = base64.b64encode(hashlib.sha256(SCRIPT.encode("utf-8")).digest()).decode("ascii")
    csp = (
        "default-src 'none'; img-src data:; style-src 'unsafe-inline'; "
        f"script-src 'sha256-{script_hash}'; base-uri 'none'; form-action 'none'"
    )
    return f"""<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{csp}">
<meta name="referrer" content="no-referrer">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Rubric coverage: {esc(report.course)}</title>
<style>{STYLE}</style>
</head>
<body>
<header>
<h1>Rubric coverage <span class="course">{esc(report.course)}</span></h1>
<p class="muted">{deadlines}</p>
</header>
<div id="script-error" class="script-error" hidden></div>
<main>
{_summary(report)}
<section class="charts">
<figure>{section_chart(report)}<figcaption>Rubric sections, per student</figcaption></figure>
<figure>{comment_chart(report)}<figcaption>Comments: assigned reviews and their outcome</figcaption></figure>
</section>
{_controls(report)}
<div class="table-wrap">
<table id="report">
<thead><tr>{head_cells}</tr></thead>
<tbody>
{rows}{empty}
</tbody>
</table>
</div>
<p class="muted small">Sections: ✓/✗ with the classifier's confidence that the section is there
(present at {report.section_threshold:.2f} or more); open a verdict to read the passage it found and
jump to it in the post. Reviews given: found/assigned; a review is complete when the comment was found
and judged substantive. Click a column header to sort; the filters are kept in the page address.</p>
</main>
<script>{SCRIPT}</script>
</body>
</html>
"""


def _when(value: str) -> str:
    """An ISO time as `2026-11-20 23:59 (UTC-05:00)`."""
    moment = parse_time(value)
    if moment is None:
        return value
    offset = moment.strftime("%z")
    zone = "UTC" if offset in ("+0000", "") else f"UTC{offset[:3]}:{offset[3:]}"
    return f"{moment:%Y-%m-%d %H:%M} ({zone})"


def write_html(report: Coverage, path: Path) -> Path:
    """Write the page to `path` (folders created) and return it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render_html(report), encoding="utf-8")
    return path


STYLE = """
:root { --fg:#1f2328; --muted:#656d76; --line:#d0d7de; --bg:#fff; --head:#f6f8fa;
  --yes:#2e7d32; --no:#c2410c; --warn:#a16207; --wait:#1d5fbf; }
* { box-sizing: border-box; }
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--fg);
  background: var(--bg); margin: 0; }
header { padding: 16px 24px 4px; border-bottom: 1px solid var(--line); }
h1 { font-size: 20px; margin: 0 0 4px; }
h1 .course { font-weight: 400; color: var(--muted); margin-left: 8px; }
main { padding: 12px 24px 24px; }
.muted { color: var(--muted); } .small { font-size: 12px; }
.cards { display: flex; flex-wrap: wrap; gap: 10px; margin: 4px 0 12px; }
.card { border: 1px solid var(--line); border-radius: 8px; padding: 8px 14px; min-width: 150px; }
.card-label { font-size: 12px; color: var(--muted); text-transform: uppercase; letter-spacing: .03em; }
.card-value { font-size: 22px; font-weight: 600; }
.charts { display: flex; flex-wrap: wrap; gap: 24px; margin-bottom: 8px; }
.charts figure { margin: 0; border: 1px solid var(--line); border-radius: 8px; padding: 8px; }
.charts figcaption { font-size: 12px; color: var(--muted); padding: 0 4px; }
.chart { max-width: 100%; height: auto; }
.chart .bar-label { font-size: 13px; fill: var(--fg); }
.chart .bar-count { font-size: 12px; fill: #fff; font-weight: 600; }
.chart .bar-pct { font-size: 12px; fill: var(--muted); }
.chart .legend { font-size: 12px; fill: var(--fg); }
.chart .bar-bg { fill: #eef1f4; }
.controls { display: flex; flex-wrap: wrap; align-items: center; gap: 12px; margin: 12px 0;
  position: sticky; top: 0; background: var(--bg); padding: 8px 0; z-index: 2; }
.controls label { font-size: 13px; color: var(--muted); }
.controls input, .controls select { margin-left: 4px; font: inherit; padding: 4px 6px;
  border: 1px solid var(--line); border-radius: 6px; }
.controls input { width: 220px; } .controls select { max-width: 230px; }
.controls button { font: inherit; padding: 4px 10px; border: 1px solid var(--line); border-radius: 6px;
  background: var(--head); cursor: pointer; }
#count { margin-left: auto; color: var(--muted); }
.table-wrap { overflow-x: auto; }
table { border-collapse: collapse; width: 100%; }
th, td { border-bottom: 1px solid var(--line); padding: 6px 8px; text-align: left; vertical-align: top; }
th { background: var(--head); position: sticky; top: 0; }
th button { all: unset; cursor: pointer; font-weight: 600; white-space: nowrap; }
th button:focus-visible { outline: 2px solid var(--wait); }
th[aria-sort="ascending"] .arrow::after { content: " ▲"; }
th[aria-sort="descending"] .arrow::after { content: " ▼"; }
tbody tr:hover { background: #fafbfc; }
tr[hidden] { display: none; }
td.student .name { font-weight: 600; }
td.post { min-width: 180px; max-width: 260px; } td.flags { min-width: 170px; max-width: 240px; }
td.v summary { white-space: nowrap; } td.reviews { min-width: 130px; }
.post-title { overflow-wrap: anywhere; }
.badge { display: inline-block; border-radius: 10px; padding: 0 7px; font-size: 12px; line-height: 18px;
  border: 1px solid transparent; white-space: nowrap; }
.badge.yes { background: #e7f4e8; color: var(--yes); border-color: #b7dfb9; }
.badge.no { background: #fdece4; color: var(--no); border-color: #f4c3aa; }
.badge.warn, .badge.unjudged { background: #fdf6dd; color: var(--warn); border-color: #f0dc9a; }
.badge.wait { background: #e8f0fc; color: var(--wait); border-color: #b9cff3; }
.badge.na { background: #f1f3f5; color: var(--muted); border-color: var(--line); }
.conf { font-variant-numeric: tabular-nums; color: var(--muted); font-size: 12px; }
details > summary { cursor: pointer; }
details.evidence blockquote { margin: 6px 0; padding: 4px 8px; border-left: 3px solid var(--line);
  color: #333; font-size: 13px; max-width: 360px; overflow-wrap: anywhere; }
.ev-heading { font-size: 12px; color: var(--muted); margin-top: 4px; }
.ev-link { font-size: 12px; }
ul.plain { list-style: none; margin: 0; padding: 0; }
.flag { display: inline-block; background: #fdece4; color: var(--no); border-radius: 4px; padding: 0 5px;
  font-size: 12px; margin: 1px 0; }
.flag-earlier_term_tool, .flag-late, .flag-edited_late, .flag-too_short { background: #fdf6dd;
  color: var(--warn); }
.flags .detail { display: block; font-size: 11px; color: var(--muted); overflow-wrap: anywhere; }
.reviews ul { margin-top: 4px; } .review { margin: 3px 0; font-size: 13px; }
.review .who { font-weight: 500; } .reasons { font-size: 12px; color: var(--muted); }
td.reviews.done summary { color: var(--yes); }
.script-error { background: #fdece4; color: var(--no); padding: 8px 24px; }
tr.empty td { text-align: center; color: var(--muted); padding: 24px; }
@media print { .controls { display: none; } details { display: block; } }
"""

SCRIPT = r"""
(function () {
  "use strict";
  var errors = [];
  window.addEventListener("error", function (event) {
    errors.push(String(event.message));
    document.documentElement.setAttribute("data-script-errors", errors.join(" | "));
    var box = document.getElementById("script-error");
    if (box) { box.hidden = false; box.textContent = "The page script failed: " + errors.join("; "); }
  });
  var table = document.getElementById("report");
  var body = table.tBodies[0];
  var rows = Array.prototype.slice.call(body.querySelectorAll("tr:not(.empty)"));
  rows.forEach(function (row, i) { row.setAttribute("data-index", String(i)); });
  var heads = Array.prototype.slice.call(table.tHead.rows[0].cells);
  var q = document.getElementById("q");
  var section = document.getElementById("section");
  var flag = document.getElementById("flag");
  var reviews = document.getElementById("reviews");
  var count = document.getElementById("count");
  var state = { sort: "", dir: "asc" };

  function sortValue(row, col, type) {
    var cell = row.cells[col];
    var raw = cell ? cell.getAttribute("data-sort") : "";
    if (type === "num") { var n = parseFloat(raw); return isNaN(n) ? -Infinity : n; }
    return (raw || "").toLowerCase();
  }

  function sortBy(key, dir) {
    var col = -1, type = "text";
    heads.forEach(function (th, i) {
      if (th.getAttribute("data-key") === key) { col = i; type = th.getAttribute("data-type"); }
      th.setAttribute("aria-sort", "none");
    });
    if (col < 0) { return; }
    var sign = dir === "desc" ? -1 : 1;
    rows.sort(function (a, b) {
      var x = sortValue(a, col, type), y = sortValue(b, col, type);
      if (x < y) { return -sign; }
      if (x > y) { return sign; }
      return +a.getAttribute("data-index") - +b.getAttribute("data-index");
    });
    rows.forEach(function (row) { body.appendChild(row); });
    heads[col].setAttribute("aria-sort", dir === "desc" ? "descending" : "ascending");
    state.sort = key; state.dir = dir;
  }

  function sectionMatch(row, wanted) {
    if (!wanted) { return true; }
    var have = (row.getAttribute("data-sections") || "").split(" ");
    var parts = wanted.split(":"), name = parts[0], value = parts[1];
    if (name === "any") {
      return have.some(function (h) { return h.split(":")[1] === value; });
    }
    if (name === "all") {
      return have.length > 0 && have.every(function (h) { return h.split(":")[1] === value; });
    }
    return have.indexOf(wanted) >= 0;
  }

  function flagMatch(row, wanted) {
    if (!wanted) { return true; }
    var have = (row.getAttribute("data-flags") || "").split(" ").filter(Boolean);
    if (wanted === "none") { return have.length === 0; }
    return have.indexOf(wanted) >= 0;
  }

  function reviewMatch(row, wanted) {
    if (!wanted) { return true; }
    var parts = wanted.split(":");
    return row.getAttribute("data-" + (parts[0] === "given" ? "reviews" : "received")) === parts[1];
  }

  function apply() {
    var text = q.value.trim().toLowerCase();
    var shown = 0;
    rows.forEach(function (row) {
      var ok = (!text || (row.getAttribute("data-search") || "").indexOf(text) >= 0)
        && sectionMatch(row, section.value) && flagMatch(row, flag.value)
        && reviewMatch(row, reviews.value);
      row.hidden = !ok;
      if (ok) { shown += 1; }
    });
    count.textContent = shown + " of " + rows.length + " students";
    document.documentElement.setAttribute("data-shown", String(shown));
  }

  function saveHash() {
    var parts = [];
    if (q.value) { parts.push("q=" + encodeURIComponent(q.value)); }
    if (section.value) { parts.push("section=" + encodeURIComponent(section.value)); }
    if (flag.value) { parts.push("flag=" + encodeURIComponent(flag.value)); }
    if (reviews.value) { parts.push("reviews=" + encodeURIComponent(reviews.value)); }
    if (state.sort) { parts.push("sort=" + encodeURIComponent(state.sort + ":" + state.dir)); }
    try { history.replaceState(null, "", parts.length ? "#" + parts.join("&") : location.pathname); }
    catch (e) { /* some viewers forbid it; the view still works */ }
  }

  function setSelect(select, value) {
    var known = Array.prototype.some.call(select.options, function (o) { return o.value === value; });
    select.value = known ? value : "";
  }

  function loadHash() {
    var params = {};
    location.hash.replace(/^#/, "").split("&").forEach(function (pair) {
      if (!pair) { return; }
      var i = pair.indexOf("=");
      var key = i < 0 ? pair : pair.slice(0, i);
      var value = i < 0 ? "" : pair.slice(i + 1);
      try { params[key] = decodeURIComponent(value.replace(/\+/g, " ")); }
      catch (e) { params[key] = ""; }
    });
    q.value = params.q || "";
    setSelect(section, params.section || "");
    setSelect(flag, params.flag || "");
    setSelect(reviews, params.reviews || "");
    if (params.sort) {
      var s = params.sort.split(":");
      sortBy(s[0], s[1] === "desc" ? "desc" : "asc");
    }
    apply();
  }

  heads.forEach(function (th) {
    th.querySelector("button").addEventListener("click", function () {
      var key = th.getAttribute("data-key");
      var dir = state.sort === key && state.dir === "asc" ? "desc" : "asc";
      sortBy(key, dir);
      saveHash();
    });
  });
  [q, section, flag, reviews].forEach(function (el) {
    el.addEventListener(el === q ? "input" : "change", function () { apply(); saveHash(); });
  });
  document.getElementById("reset").addEventListener("click", function () {
    q.value = ""; section.value = ""; flag.value = ""; reviews.value = "";
    rows.sort(function (a, b) { return +a.getAttribute("data-index") - +b.getAttribute("data-index"); });
    rows.forEach(function (row) { body.appendChild(row); });
    heads.forEach(function (th) { th.setAttribute("aria-sort", "none"); });
    state.sort = ""; state.dir = "asc";
    apply(); saveHash();
  });
  window.addEventListener("hashchange", loadHash);
  loadHash();
  document.documentElement.setAttribute("data-ready", "1");
})();
"""
