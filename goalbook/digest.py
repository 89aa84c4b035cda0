"""Each owner's week: what of theirs is late, what to check in, what waits for their decision.

Pure: builds :class:`Digest` objects from a goalbook and a day and renders them as Markdown or as an
e-mail message (:class:`email.message.EmailMessage`, built, not sent: ``goalbook digest`` sends when
told where, by SMTP or to a webhook, and never needs to).

What goes in, for each owner (a key result without an owner is its objective owner's):

- **Late**: their key results and SMART goals that are off track or at risk, with the forecast at the
  period's end and the chance of meeting the target when there is one;
- **Check in**: their goals (and KPIs) that are stale, or have no check-in in the last seven days;
- **Blocked**: open blockers on their goals (as the agenda defines them);
- **Decide**: goals in review that they approve (and do not own).

Owners with nothing in any part get no digest.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from email.message import EmailMessage

from goalbook.agenda import md_text, open_blocker
from goalbook.approvals import approvers_of, owner_of, pending_reviews
from goalbook.forecast import forecast_goal
from goalbook.model import KPI, Goalbook, KeyResult, SmartGoal
from goalbook.scoring import Scorer

WEEK = 7


@dataclass
class Digest:
    """One owner's week, as lines of plain text per part."""

    owner: str
    today: date
    late: list[str] = field(default_factory=list)
    check_in: list[str] = field(default_factory=list)
    blocked: list[str] = field(default_factory=list)
    decide: list[str] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.late or self.check_in or self.blocked or self.decide)

    @property
    def parts(self) -> list[tuple[str, list[str]]]:
        return [("Late", self.late), ("Check in", self.check_in), ("Blocked", self.blocked),
                ("Waiting for your decision", self.decide)]


def digests(book: Goalbook, *, today: date) -> dict[str, Digest]:
    """Every owner's :class:`Digest` with something in it, by owner, sorted by owner."""
    scorer = Scorer(book, today=today)
    out: dict[str, Digest] = {}

    def of(owner: str) -> Digest:
        return out.setdefault(owner, Digest(owner, today))

    for g in book.iter_goals():
        if not isinstance(g, KeyResult | SmartGoal | KPI):
            continue
        owner = owner_of(book, g)
        if not owner:
            continue
        s = scorer.score(g.id)
        label = f"{g.id} {g.title}"
        if s.status in ("off_track", "at_risk"):
            f = forecast_goal(book, g.id, today=today, scorer=scorer)
            extra = (f": forecast {f.value:.3g} by {f.at} ({f.probability:.0%} chance of the target)"
                     if f is not None and f.probability is not None else "")
            of(owner).late.append(f"{label} — {s.status.replace('_', ' ')}{extra}")
        last = scorer.last_check_in(g.id)
        if s.status != "done" and (s.stale or last is None or (today - last).days >= WEEK):
            when = f"last on {last}" if last else "never checked in"
            of(owner).check_in.append(f"{label} — {when}")
        raised = open_blocker(scorer.check_ins(g.id))
        if raised is not None and s.status != "done":
            of(owner).blocked.append(f"{label} — since {raised.date}: {raised.blockers}")
    for g, _step in pending_reviews(book):
        for person in approvers_of(book, g):
            if person != owner_of(book, g):
                of(person).decide.append(f"{g.id} {g.title} — in review")
    return {k: out[k] for k in sorted(out) if out[k]}


def to_markdown(d: Digest) -> str:
    """The digest as Markdown; user text escaped."""
    lines = [f"# Your goals this week, {md_text(d.owner)} ({d.today.isoformat()})"]
    for heading, items in d.parts:
        if items:
            lines += ["", f"## {heading}", "", *(f"- {md_text(i)}" for i in items)]
    return "\n".join(lines) + "\n"


def to_email(d: Digest, *, sender: str, recipient: str, organisation: str = "") -> EmailMessage:
    """The digest as a plain-text e-mail (the Markdown reads as text) to ``recipient``."""
    msg = EmailMessage()
    msg["From"] = sender
    msg["To"] = recipient
    org = f"{organisation}: " if organisation else ""
    msg["Subject"] = f"{org}your goals for the week of {(d.today - timedelta(days=d.today.weekday())).isoformat()}"
    msg.set_content(to_markdown(d))
    return msg
