"""The weekly check-in meeting's agenda: what needs the room, in the order it needs it, with time boxes.

Pure: takes a :class:`~goalbook.model.Goalbook` and a day, returns an :class:`Agenda` (and renders
it as Markdown, HTML or plain data). Statuses, staleness and confidence are
:class:`~goalbook.scoring.Scorer`'s; forecasts are :mod:`goalbook.forecast`'s; reviews waiting are
:mod:`goalbook.approvals`'.

The sections, in the order the room takes them (a goal appears once, in the first that fits it;
decisions and wins are separate questions):

1. **Off track** — key results and SMART goals whose status is ``off_track``. The number: the
   forecast at the period's end with the chance of meeting the target (else progress against pace).
   Lowest chance first. 5 minutes each.
2. **At risk** — status ``at_risk`` with confidence *falling* (the latest below the one before) or
   *low* (at most :data:`LOW_CONFIDENCE` of 10), and goals on pace whose forecast gives less than a
   :data:`UNLIKELY` chance of landing. Lowest chance first. 4 minutes each.
3. **Blocked** — an *open* blocker, however old: the latest check-in that names a blocker, unless a
   later check-in reports the goal done or states a higher confidence than it did (the owner says
   the way is clear). The number: days since it was raised. Oldest first. 3 minutes each.
4. **Stale** — no check-in for more than the scoring rules' stale limit. The number: days since
   the last one (or "never"). Longest quiet first. 1 minute each: ask for the number.
5. **Breached bounds** — KPIs in the red and ``maintain`` key results outside what they must
   hold. The number: the value against the line. 3 minutes each.
6. **Decisions waiting** — objectives and SMART goals in review. The number: days waiting.
   Longest waiting first. 2 minutes each.
7. **Wins** — goals done in the last week, and wins written on check-ins in the last week
   (not already discussed above). Newest first. 1 minute each.

Ties are broken by weight (heavier first) and then by id, so the same book and day always give the
same agenda.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from goalbook.approvals import pending_reviews
from goalbook.forecast import Forecast, forecast_goal
from goalbook.model import KPI, CheckIn, Goalbook, KeyResult, SmartGoal
from goalbook.scoring import NOT_MEASURED, GoalScore, Scorer, ScoringConfig

LOW_CONFIDENCE = 5  # of 10: at or below this, an at-risk goal goes on the agenda however its confidence moved
UNLIKELY = 0.25  # a forecast chance below this puts a goal on pace on the agenda
WINS_DAYS = 7

SECTIONS: dict[str, tuple[str, int]] = {  # name -> (heading, minutes per item)
    "off_track": ("Off track", 5),
    "at_risk": ("At risk", 4),
    "blocked": ("Blocked", 3),
    "stale": ("Stale", 1),
    "breached": ("Breached bounds", 3),
    "decisions": ("Decisions waiting", 2),
    "wins": ("Wins", 1),
}


@dataclass(frozen=True)
class AgendaItem:
    """One line of the agenda: a goal, who owns it, the one number that matters and why it is here."""

    section: str
    id: str
    kind: str
    title: str
    owner: str | None
    team: str | None
    number: str  # the one number that matters, in words
    why: str  # what to discuss (a blocker, a win, the reason given)
    minutes: int
    probability: float | None = None  # the forecast chance of landing, when there is one


@dataclass(frozen=True)
class Agenda:
    """The agenda of one meeting: the items in order, the day, the team (``None``: everyone)."""

    today: date
    team: str | None
    items: list[AgendaItem] = field(default_factory=list)

    @property
    def minutes(self) -> int:
        """The suggested length of the meeting: the sum of the time boxes."""
        return sum(i.minutes for i in self.items)

    @property
    def ids(self) -> list[str]:
        return [i.id for i in self.items]

    def section(self, name: str) -> list[AgendaItem]:
        return [i for i in self.items if i.section == name]

    def to_dict(self) -> dict[str, Any]:
        return {"today": self.today.isoformat(), "team": self.team, "minutes": self.minutes,
                "items": [asdict(i) for i in self.items]}


# --- building ---------------------------------------------------------------------------------------------
def _fmt(x: float | None, unit: str | None = None) -> str:
    if x is None:
        return "—"
    text = f"{x:.3g}" if abs(x) < 1000 else f"{x:,.0f}"
    if not unit:
        return text
    return f"{text}{unit}" if unit == "%" else f"{text} {unit}"


def _forecast_words(f: Forecast, target: float | None, unit: str | None) -> str:
    p = f.probability
    chance = "" if p is None else f", {p:.0%} chance"
    aim = f"target {_fmt(target, unit)}, " if target is not None else ""
    return f"forecast {_fmt(f.value, unit)} by {f.at.isoformat()} ({aim}{_fmt(f.low)}–{_fmt(f.high)}{chance})"


def _pace_words(s: GoalScore) -> str:
    if s.progress is None:
        return "no progress measured"
    if not s.measured:  # counted at its baseline, as scoring does: say so, never a bare "0%"
        expected = f", {s.expected:.0%} of the way expected" if s.expected is not None else ""
        return f"{NOT_MEASURED}: never checked in{expected}"
    if s.expected == 1 and s.progress >= 1:
        return "holding its level"
    expected = f" of {s.expected:.0%} expected" if s.expected is not None else ""
    return f"{s.progress:.0%} of the way{expected}"


def open_blocker(check_ins: list[CheckIn]) -> CheckIn | None:
    """The check-in whose blocker is still open (see the module docstring), or ``None``."""
    last = next((n for n in range(len(check_ins) - 1, -1, -1) if (check_ins[n].blockers or "").strip()), None)
    if last is None:
        return None
    raised = check_ins[last]
    for later in check_ins[last + 1:]:
        if later.status == "done":
            return None
        if raised.confidence is not None and later.confidence is not None and later.confidence > raised.confidence:
            return None
    return raised


def _team_of(book: Goalbook, g: Any) -> str | None:
    if isinstance(g, KeyResult):
        o = book.objective_of(g)
        return o.team if o is not None else None
    return getattr(g, "team", None)


def _weight(g: Any) -> float:
    return float(getattr(g, "weight", 1.0) or 1.0)


def build_agenda(book: Goalbook, *, today: date, team: str | None = None,
                 config: ScoringConfig | None = None) -> Agenda:
    """The agenda of the check-in meeting on ``today`` for ``team`` (``None``: everyone)."""
    scorer = Scorer(book, today=today, config=config)
    placed: set[str] = set()
    rows: dict[str, list[tuple[tuple, AgendaItem]]] = {name: [] for name in SECTIONS}

    def add(section: str, g: Any, number: str, why: str, key: tuple, probability: float | None = None) -> None:
        s = scorer.score(g.id) if not isinstance(g, KPI) else None
        owner = s.owner if s is not None else g.owner
        item = AgendaItem(section, g.id, g.kind, g.title, owner, _team_of(book, g), number, why,
                          SECTIONS[section][1], probability)
        rows[section].append(((*key, -_weight(g), g.id), item))
        if section not in ("decisions", "wins"):
            placed.add(g.id)

    measured = [g for g in book.iter_goals() if isinstance(g, KeyResult | SmartGoal)
                and (team is None or _team_of(book, g) == team)]
    kpis = [k for k in book.kpis if team is None or k.team == team]
    scores = {g.id: scorer.score(g.id) for g in measured}
    forecasts = {g.id: forecast_goal(book, g.id, today=today, scorer=scorer) for g in measured}

    for g in measured:  # 1. off track
        s, f = scores[g.id], forecasts[g.id]
        if s.status == "off_track":
            p = f.probability if f is not None else None
            number = _forecast_words(f, g.target, g.unit) if f is not None else _pace_words(s)
            add("off_track", g, number, _latest_words(scorer.check_ins(g.id)), (_p(p), s.progress or 0), p)
    for g in measured:  # 2. at risk
        if g.id in placed:
            continue
        s, f = scores[g.id], forecasts[g.id]
        p = f.probability if f is not None else None
        trend = s.confidence_trend
        falling = len(trend) >= 2 and trend[-1] < trend[-2]
        low = s.confidence is not None and s.confidence <= LOW_CONFIDENCE
        unlikely = s.status == "on_track" and p is not None and p < UNLIKELY
        if (s.status == "at_risk" and (falling or low)) or unlikely:
            why = []
            if falling:
                why.append(f"confidence fell {trend[-2]:g} → {trend[-1]:g}")
            elif low and s.confidence is not None:
                why.append(f"confidence {s.confidence:g}/10")
            if unlikely:
                why.append("on pace, but the trend falls short")
            number = _forecast_words(f, g.target, g.unit) if f is not None else _pace_words(s)
            add("at_risk", g, number, "; ".join(why), (_p(p),), p)
    for g in [*measured, *kpis]:  # 3. blocked
        if g.id in placed:
            continue
        raised = open_blocker(scorer.check_ins(g.id))
        if raised is not None and scores.get(g.id) is not None and scores[g.id].status != "done":
            days = (today - raised.date).days
            add("blocked", g, f"blocked {days} days (since {raised.date.isoformat()})", raised.blockers or "",
                (raised.date,))
    for g in [*measured, *kpis]:  # 4. stale
        if g.id in placed or not scorer.is_stale(g.id):
            continue
        last = scorer.last_check_in(g.id)
        number = f"no check-in for {(today - last).days} days" if last else "never checked in"
        add("stale", g, number, "ask for this week's number", ((last or date.min),))
    for k in kpis:  # 5. breached bounds
        if k.id in placed:
            continue
        s = scorer.score(k.id)
        if s.status == "red" and s.current is not None:
            line = k.amber if k.amber is not None else k.green if k.green is not None else k.target
            side = "above" if k.direction == "decrease" else "below"
            add("breached", k, f"{_fmt(s.current, k.unit)}, {side} the amber line {_fmt(line, k.unit)}",
                "KPI in the red", (-abs((s.current - (line or 0)) / (line or 1)),))
    for g in measured:
        if g.id in placed or g.direction != "maintain":
            continue
        s = scores[g.id]
        if s.progress is not None and s.progress < 1 and s.current is not None:
            bound = getattr(g, "bound", None)
            limit = f"at most {_fmt(g.target, g.unit)}" if bound == "at_most" else \
                f"at least {_fmt(g.target, g.unit)}" if bound == "at_least" else \
                f"between {_fmt(g.low)} and {_fmt(g.high, g.unit)}" if bound == "band" else _fmt(g.target, g.unit)
            add("breached", g, f"{_fmt(s.current, g.unit)}, must hold {limit}", "outside what it must hold",
                (s.progress,))
    for g, step in pending_reviews(book):  # 6. decisions
        if team is not None and getattr(g, "team", None) != team:
            continue
        when = step.at if step is not None and step.at is not None else None
        waited = (today - (when.date() if isinstance(when, datetime) else when)).days if when else None
        number = f"waiting {waited} days" if waited is not None and waited >= 0 else "in review"
        who = f"review requested by {step.by}" if step is not None and step.by else "review requested"
        add("decisions", g, number, who, ((when.isoformat() if when else "~"),))
    since = today - timedelta(days=WINS_DAYS)
    for g in measured:  # 7. wins
        if g.id in placed:
            continue
        recent = [c for c in scorer.check_ins(g.id) if c.date > since]
        win = next((c for c in reversed(recent) if (c.wins or "").strip()), None)
        s = scores[g.id]
        done_now = s.status == "done" and any(c.status == "done" for c in recent) and not any(
            c.status == "done" for c in scorer.check_ins(g.id) if c.date <= since)
        if win is not None or done_now:
            when = win.date if win is not None else recent[-1].date
            number = f"done: {_fmt(s.current, g.unit)}" if s.status == "done" else \
                f"{_fmt(s.current, g.unit)}, {_pace_words(s)}"
            add("wins", g, number, (win.wins if win is not None else "target reached") or "",
                (-(when.toordinal()),))
    items = [item for name in SECTIONS for _, item in sorted(rows[name], key=lambda r: r[0])]
    return Agenda(today, team, items)


def _p(p: float | None) -> float:
    return 2.0 if p is None else p


def _latest_words(check_ins: list[CheckIn]) -> str:
    c = next((c for c in reversed(check_ins) if (c.blockers or "").strip()), None)
    return f"blocker: {c.blockers}" if c is not None else ""


# --- rendering --------------------------------------------------------------------------------------------
_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|~])")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]+")


def md_text(text: str | None) -> str:
    """User text safe in the middle of a Markdown line: on one line, with the characters Markdown acts on
    there (emphasis, code, links, HTML, table pipes) escaped; dates, ids and sentences read as written."""
    return _MD_SPECIAL.sub(r"\\\1", _CONTROL.sub(" ", text or "").strip())


def _groups(agenda: Agenda) -> Iterable[tuple[str, str, list[AgendaItem]]]:
    for name, (heading, _) in SECTIONS.items():
        items = agenda.section(name)
        if items:
            yield name, heading, items


def to_markdown(agenda: Agenda, organisation: str = "") -> str:
    """The agenda as Markdown that pastes cleanly into a meeting doc: a heading per section with its time
    box, one numbered line per goal. User text is escaped."""
    who = f" — {md_text(agenda.team)}" if agenda.team else ""
    org = f"{md_text(organisation)}: " if organisation else ""
    lines = [f"# {org}check-in agenda, {agenda.today.isoformat()}{who}", "",
             f"Suggested length: {agenda.minutes} minutes."]
    if not agenda.items:
        lines += ["", "Nothing needs the room this week."]
    n = 0
    for _name, heading, items in _groups(agenda):
        lines += ["", f"## {heading} ({sum(i.minutes for i in items)} min)", ""]
        for i in items:
            n += 1
            why = f" — {md_text(i.why)}" if i.why else ""
            owner = md_text(i.owner) if i.owner else "no owner"
            lines.append(f"{n}. **{md_text(i.id)}** {md_text(i.title)} · {owner} · {md_text(i.number)}{why} "
                         f"· {i.minutes} min")
    return "\n".join(lines) + "\n"


def to_html(agenda: Agenda, organisation: str = "", *, page: bool = True) -> str:
    """The agenda as HTML (every user string escaped); ``page=False`` gives only the body fragment."""
    esc = html.escape
    head = f"{esc(organisation)}: check-in agenda, {agenda.today.isoformat()}" + (
        f" — {esc(agenda.team)}" if agenda.team else "")
    parts = [f'<div class="goalbook-agenda"><h2 class="goalbook-agenda-title">{head}</h2>',
             f'<p class="goalbook-agenda-length">Suggested length: {agenda.minutes} minutes.</p>']
    if not agenda.items:
        parts.append("<p><em>Nothing needs the room this week.</em></p>")
    for name, heading, items in _groups(agenda):
        parts.append(f'<section class="goalbook-agenda-section" data-section="{name}">'
                     f"<h3>{esc(heading)} ({sum(i.minutes for i in items)} min)</h3><ol>")
        for i in items:
            why = f' <span class="goalbook-agenda-why">— {esc(i.why)}</span>' if i.why else ""
            parts.append(f'<li class="goalbook-agenda-item" data-id="{esc(i.id)}"><strong>{esc(i.id)}</strong> '
                         f'{esc(i.title)} · <span class="goalbook-agenda-owner">{esc(i.owner or "no owner")}</span>'
                         f' · <span class="goalbook-agenda-number">{esc(i.number)}</span>{why} · '
                         f'<span class="goalbook-agenda-minutes">{i.minutes} min</span></li>')
        parts.append("</ol></section>")
    parts.append("</div>")
    body = "".join(parts)
    if not page:
        return body
    return ("<!doctype html><html><head><meta charset=\"utf-8\"><title>" + head + "</title>"
            "<style>body{font-family:system-ui,sans-serif;max-width:60em;margin:2em auto;line-height:1.5}"
            "h3{margin-bottom:.2em}.goalbook-agenda-number{font-weight:600}</style></head><body>"
            + body + "</body></html>\n")


def to_json(agenda: Agenda) -> str:
    return json.dumps(agenda.to_dict(), indent=2, ensure_ascii=False)
