"""A team page's data from the 10,000-person organisation's PostgreSQL store (issue 16).

``Store.load_team`` for one team of the synthetic organisation (about 40,000 goals, 60,000 links and
190,000 check-ins, imported into a schema of its own), against the floor the issue names: the plain
SQL query of that team's rows with psycopg — its objectives, SMART goals, KPIs and initiatives, its
objectives' key results, the links from all of those and their check-ins — fetched as tuples.
``load_team`` reads more than that floor (the goals the team serves and what their scores are
computed from: see :mod:`goalbook.store._team`), and builds the model objects. A second figure puts
it beside fetching exactly the rows it returns, by id, as tuples: the cost of finding those rows and
building the model, apart from how many rows a team page needs.

The server is ``$GOALBOOK_BENCH_PG_URL``, else the test server; without one the figure is skipped.
"""

from __future__ import annotations

import os
import secrets
import sys
import time
from datetime import date
from urllib.parse import quote

import sqlalchemy as sa

from benchmarks._harness import Figure, best_of_each, ratio_figure
from benchmarks.synthetic import generate_org

PEOPLE = 10_000
TODAY = date(2027, 2, 27)  # the synthetic check-ins run eight weeks into 2027-Q1
PG_URL = os.environ.get("GOALBOOK_BENCH_PG_URL",
                        os.environ.get("GOALBOOK_TEST_PG_URL",
                                       "postgresql://goalbook:goalbook@127.0.0.1:5432/goalbook_test"))

def _floor(conn, team: str) -> int:
    """Plain psycopg: every row of the team's goals, their links and their check-ins, as tuples."""
    rows = 0
    with conn.cursor() as cur:
        for table in ("objectives", "smart_goals", "kpis", "initiatives"):
            cur.execute(f"SELECT * FROM {table} WHERE team = %s", (team,))
            rows += len(cur.fetchall())
        cur.execute("SELECT * FROM key_results WHERE objective_id IN (SELECT id FROM objectives WHERE team = %s)",
                    (team,))
        rows += len(cur.fetchall())
        own = ("SELECT id FROM objectives WHERE team = %(team)s UNION ALL SELECT id FROM smart_goals WHERE team = "
               "%(team)s UNION ALL SELECT id FROM kpis WHERE team = %(team)s UNION ALL SELECT id FROM initiatives "
               "WHERE team = %(team)s UNION ALL SELECT id FROM key_results WHERE objective_id IN "
               "(SELECT id FROM objectives WHERE team = %(team)s)")
        cur.execute(f"SELECT * FROM links WHERE source IN ({own})", {"team": team})
        rows += len(cur.fetchall())
        cur.execute(f"SELECT * FROM check_ins WHERE target_id IN ({own})", {"team": team})
        rows += len(cur.fetchall())
    conn.rollback()
    return rows


def _same_rows_floor(conn, ids: dict[str, list[str]]) -> int:
    """Plain psycopg: the very rows ``load_team`` returns, fetched by id as tuples (the ids known beforehand)."""
    rows = 0
    every = [i for group in ids.values() for i in group]
    with conn.cursor() as cur:
        for table, group in ids.items():
            cur.execute(f"SELECT * FROM {table} WHERE id = ANY(%s)", (group,))
            rows += len(cur.fetchall())
        cur.execute("SELECT * FROM links WHERE source = ANY(%(ids)s) AND target = ANY(%(ids)s)", {"ids": every})
        rows += len(cur.fetchall())
        for table in ("check_ins", "comments"):
            cur.execute(f"SELECT * FROM {table} WHERE target_id = ANY(%s)", (every,))
            rows += len(cur.fetchall())
    conn.rollback()
    return rows


def run() -> list[Figure]:
    try:
        import psycopg

        admin = psycopg.connect(PG_URL, autocommit=True, connect_timeout=5)
    except Exception as exc:  # no server here: say so, measure nothing
        print(f"# bench_team: skipped, no PostgreSQL at {PG_URL} ({exc})", file=sys.stderr)
        return []
    import goalbook

    schema = f"goalbook_bench_{int(time.time())}_{secrets.token_hex(3)}"
    admin.execute(f'CREATE SCHEMA "{schema}"')
    url = f"{PG_URL}{'&' if '?' in PG_URL else '?'}options={quote(f'-csearch_path={schema}')}"
    try:
        book = generate_org(PEOPLE)
        t0 = time.perf_counter()
        with goalbook.open(url, author="bench") as store:
            store.import_book(book)
        # A store in use has its planner statistics (autovacuum's ANALYZE); a fresh import has none
        # yet, and whichever query happens to run before autovacuum gets to it would be timed on bad plans.
        admin.execute(f'SET search_path = "{schema}"')
        admin.execute("ANALYZE")
        print(f"# bench_team: imported in {time.perf_counter() - t0:.0f} s", file=sys.stderr)
        names = sorted({g.team for g in book.smart_goals})
        team = names[len(names) // 2]
        conn = psycopg.connect(PG_URL, options=f"-csearch_path={schema}")
        with goalbook.open(url, readonly=True) as store:
            sent: list[str] = []

            def count(_conn: object, _cursor: object, statement: str, *_rest: object) -> None:
                sent.append(statement)

            sa.event.listen(store.engine, "before_cursor_execute", count)
            part = store.load_team(team, today=TODAY)
            sa.event.remove(store.engine, "before_cursor_execute", count)
            reads = sum(1 for s in sent if s.lstrip().upper().startswith(("SELECT", "WITH")))
            rows = _floor(conn, team)
            ids = {"objectives": [o.id for o in part.objectives],
                   "key_results": [k.id for o in part.objectives for k in o.key_results],
                   "smart_goals": [g.id for g in part.smart_goals], "kpis": [k.id for k in part.kpis],
                   "initiatives": [i.id for i in part.initiatives]}
            same = _same_rows_floor(conn, ids)
            best = best_of_each({"team": lambda: store.load_team(team, today=TODAY),
                                 "floor": lambda: _floor(conn, team),
                                 "same": lambda: _same_rows_floor(conn, ids)}, repeat=7)
        conn.close()
        read = sum(1 for _ in part.iter_goals())
        print(f"# bench_team: {team}: load_team read {read} goals, {len(part.links)} links, "
              f"{len(part.check_ins)} check-ins in {reads} statements; the floor fetched {rows} rows in 7, "
              f"the same rows by id {same} in 8", file=sys.stderr)
    finally:
        admin.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
        admin.close()
    total = sum(1 for _ in book.iter_goals())
    return [ratio_figure(f"store: one team's page data of {total:,} goals (PostgreSQL)", best["team"],
                         "psycopg: that team's rows", best["floor"], 3),
            ratio_figure("store: the same, against fetching its rows by id", best["team"],
                         "psycopg: load_team's rows by known id", best["same"], 3)]
