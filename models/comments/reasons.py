"""Human-readable reasons for a verdict.

Each family of features (praise, specificity, grounding, copying, overall wording) yields at most one
observation with a polarity (for or against substance). The reasons list the observations that agree
with the verdict, strongest family first (by its contribution to the logit), then at most one that
disagrees ("despite: ..."), then the length, and last, without a post, a note saying so. A score
close to the threshold (or one no observation supports) is called borderline first.
"""

from __future__ import annotations

from dataclasses import dataclass

from models.comments.features import FAMILIES, Evidence

SHORT = 25
LONG = 60
COPIED = 0.3  # share of the comment's words repeated verbatim from the post worth a reason
MAX_REASONS = 5
WORDING_MIN = 0.5  # logit units the embedding must move the score before it is named
BORDERLINE = 0.1  # a score this close to the threshold is said to be borderline
NO_POST = "no post given: judged on the text alone (grounding in the post not checked)"


@dataclass(frozen=True)
class Observation:
    family: str
    text: str
    positive: bool  # speaks for substance


def _quote(items: list[str], limit: int = 4) -> str:
    return ", ".join(f"'{item}'" for item in items[:limit])


def _length(ev: Evidence, substantive: bool) -> str:
    n = ev.own_words
    own = " of its own" if ev.copied_share >= COPIED else ""
    if n < SHORT:
        return f"short ({n} words{own}) but specific" if substantive else f"short ({n} words{own})"
    if n > LONG:
        return f"long ({n} words{own})" if substantive else f"long ({n} words{own}) but generic"
    return f"{n} words{own}"


def _praise(ev: Evidence) -> Observation | None:
    if ev.praise and ev.generic_share >= 0.8:
        return Observation("praise", f"only generic praise or thanks ({_quote(ev.praise)})", False)
    if ev.praise and ev.generic_share > 0:
        return Observation("praise", f"generic praise: {_quote(ev.praise)}", False)
    if ev.praise_sim >= 0.6:
        return Observation("praise", f"reads like stock praise (similarity {ev.praise_sim:.2f})", False)
    return None


def _specificity(ev: Evidence) -> Observation:
    parts = []
    if ev.questions:
        parts.append("asks a question" if ev.questions == 1 else f"asks {ev.questions} questions")
    if ev.suggestions:
        parts.append(f"suggests something ({_quote(ev.suggestions, 2)})")
    if ev.critique:
        parts.append(f"points out a problem ({_quote(ev.critique, 2)})")
    if ev.reasoning:
        parts.append(f"argues ({_quote(ev.reasoning, 2)})")
    if ev.experience:
        parts.append(f"brings own experience ({_quote(ev.experience, 2)})")
    terms: list[str] = []
    for term in ev.identifiers[:4] + ev.rare_terms:
        if not any(term.lower() in seen.lower() for seen in terms):
            terms.append(term)
    if terms:
        parts.append(f"specific terms: {_quote(terms)}")
    if not parts:
        return Observation("specificity", "no question, suggestion, argument or specific term", False)
    return Observation("specificity", "; ".join(parts), True)


def _grounding(ev: Evidence) -> Observation | None:
    if not ev.has_post or ev.copied_share >= COPIED:
        return None
    if ev.grounded_terms:
        return Observation("grounding", f"refers to the post: {_quote(ev.grounded_terms, 5)}", True)
    return Observation(
        "grounding",
        f"names nothing specific from the post (closest paragraph similarity {ev.sim_max:.2f})",
        False,
    )


def _copy(ev: Evidence) -> Observation | None:
    if ev.copied_share >= COPIED:
        share = round(100 * ev.copied_share)
        return Observation("copy", f"repeats the post: {share}% of its words are copied from it", False)
    return None


def reasons(
    ev: Evidence,
    contributions: dict[str, float],
    substantive: bool,
    score: float | None = None,
    threshold: float = 0.5,
) -> list[str]:
    """The reasons for one verdict (see the module docstring for the order)."""
    strength = {name: sum(contributions.get(f, 0.0) for f in members) for name, members in FAMILIES.items()}
    strength["wording"] = sum(v for k, v in contributions.items() if k.startswith("minilm_"))
    found = [_praise(ev), _specificity(ev), _grounding(ev), _copy(ev)]
    if abs(strength["wording"]) >= WORDING_MIN:
        positive = strength["wording"] > 0
        text = "worded like the substantive examples" if positive else "worded like the generic examples"
        found.append(Observation("wording", text, positive))
    observations = [o for o in found if o is not None]
    agree = sorted(
        (o for o in observations if o.positive == substantive),
        key=lambda o: (o.family != "copy", o.family == "wording", -abs(strength.get(o.family, 0.0))),
    )
    disagree = sorted(
        (o for o in observations if o.positive != substantive and o.family != "wording"),
        key=lambda o: -abs(strength.get(o.family, 0.0)),
    )
    out = [o.text for o in agree]
    if score is not None and (abs(score - threshold) < BORDERLINE or not out):
        out.insert(0, f"borderline: score {score:.2f} against a threshold of {threshold:.2f}")
    if disagree:
        out.append(f"despite: {disagree[0].text}")
    out.append(_length(ev, substantive))
    if not ev.has_post:
        return [*out[: MAX_REASONS - 1], NO_POST]
    return out[:MAX_REASONS]
