"""The attacker test: no small count can be worked out from everything the app publishes.

On generated data with several small teams, it collects every figure published for a term
under every filter a process leader (regional and local) or a coordinator can choose – the
page's tables and the CSV export – and, for every true count from 1 to 4 (of a team, a
municipality, the region or a reader's whole scope), bounds it by linear programming over
all of those figures together (scipy's HiGHS), knowing:

- a shown number is exact; "<5" means 0–4 (1–4 if the app shows zeros elsewhere, as it
  used to); ".." beside "<5" means a hidden figure of 5 or more, and alone (the one mark
  for every hidden figure) 0 or more; "–" says nothing;
- how every figure is made: a row of a team, a municipality or a total is the sum of its
  teams; a table's columns add up to its total; age, sex and initiating sector all split the
  overview's new cases, the feedback table its cases discussed, the closing reasons its
  cases closed; a trend point of the term is the term's total; no team has more children
  with a concern area or reason, or more cases with a consent lead time, than new cases, nor
  more families heard back than cases discussed;
- what a shown lead time says about the feedback table: a 90th percentile or a median of
  at most 7 days means that many families heard back within a week.

It fails when a count from 1 to 4 is pinned to one value or told apart from 0. The true
counts are worked out here from the generated cases, not by the code under test.
"""

import csv
import datetime
import io
import math
import random
from collections import defaultdict
from html.parser import HTMLParser

import numpy as np
import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from scipy.optimize import linprog
from scipy.sparse import lil_matrix

from meetings.models import AgendaItem, Meeting
from reports.measures import DISTRIBUTIONS, GROUPS, LEAD_TIMES, OVERVIEW, TOTAL
from sip.models import FamilyFeedback
from sip.questionnaire import QUESTIONS
from teams.models import Term
from tests import factories as f

pytestmark = pytest.mark.django_db

TERM_DAY = datetime.date(2026, 3, 1)  # VT 2026: a whole term, in the past
AGES = [("0-5", 0, 5), ("6-9", 6, 9), ("10-12", 10, 12), ("13-15", 13, 15), ("16+", 16, 200)]


def _at(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(10)))


class Region:
    """Generated cases, and their true counts per team kept beside them."""

    def __init__(self, world):
        rng = random.Random(14)
        self.world = world
        region = world.team_a.municipality.region
        small_town = f.MunicipalityFactory(region=region, name="Småby")
        mid_town = f.MunicipalityFactory(region=region, name="Mellanby")
        self.teams = {
            world.team_a: 13,
            world.team_b: 8,
            f.TeamFactory(name="HLT Småby", municipality=small_town): 2,
            f.TeamFactory(name="HLT Väst", municipality=mid_town): 7,
            f.TeamFactory(name="HLT Öst", municipality=mid_town): 3,
        }
        self.local_leader = f.ProcessLeaderFactory(region=None, user__full_name="Lo Lokal").user
        self.local_leader.process_leader.municipalities.set([world.team_a.municipality, small_town])
        self.true: dict[int, dict[tuple[str, str], int]] = defaultdict(lambda: defaultdict(int))
        orgs = [world.school, world.health, world.social]
        reasons = ["health_mental", "learning_absence", "safety_family", "learning_language"]
        for team, n in self.teams.items():
            t = self.true[team.pk]
            meetings = [
                Meeting.objects.create(
                    team=team,
                    term=Term.objects.ensure_for_day(TERM_DAY),
                    date=datetime.date(2026, month, 10),
                    starts_at=datetime.time(13),
                    ends_at=datetime.time(15),
                    place="Rum 2",
                    state=Meeting.State.HELD,
                )
                for month in (2, 4)
            ]
            t[("meetings_held", TOTAL)] = len(meetings)
            for i in range(n):
                age = rng.choice([3, 7, 8, 11, 14, 16, None])
                sex = rng.choice(["girl", "girl", "boy", "boy", "other"])
                org = rng.choice(orgs)
                areas = rng.sample(["health", "learning", "safety"], rng.choice([1, 1, 2]))
                chosen = rng.sample(reasons, rng.choice([0, 1, 2]))
                closed = rng.random() < 0.3
                actualised = datetime.date(2026, 1, 15) + datetime.timedelta(days=7 * i)
                case = f.CaseFactory(
                    child=f.ChildFactory(sex=sex),
                    team=team,
                    initiated_by=world.key_person,
                    initiating_organisation=org,
                    status="closed" if closed else "actualised",
                    actualised_at=_at(actualised),
                    age_at_actualisation=age,
                    concern_health="health" in areas,
                    concern_learning="learning" in areas,
                    concern_safety="safety" in areas,
                    concern_reasons=chosen,
                    closed_at=_at(datetime.date(2026, 6, 1)) if closed else None,
                    closing_reason="goals_met" if closed else "",
                )
                t[("new", TOTAL)] += 1
                t[("active", TOTAL)] += 1
                band = next(
                    (code for code, lo, hi in AGES if age is not None and lo <= age <= hi),
                    "not_recorded",
                )
                t[("new", band)] += 1
                t[("new", sex)] += 1
                t[("new", org.sector)] += 1
                for area in areas:
                    t[("area", area)] += 1
                    t[("area", TOTAL)] += 1
                for reason in chosen:
                    t[("reason", reason)] += 1
                    t[("reason", TOTAL)] += 1
                if closed:
                    t[("closed", TOTAL)] += 1
                    t[("closed", "goals_met")] += 1
                if rng.random() < 0.75:
                    meeting = meetings[0] if actualised.month < 2 else meetings[1]
                    item = AgendaItem.objects.create(
                        meeting=meeting,
                        case=case,
                        position=meeting.items.count() + 1,
                        minutes=20,
                        is_open=False,
                        added_by=world.coordinator,
                        minutes_recorded_at=_at(meeting.date),
                    )
                    t[("discussed", TOTAL)] += 1
                    days = rng.choice([2, 5, 12, None])
                    if days is not None:
                        FamilyFeedback.objects.create(
                            agenda_item=item,
                            case=case,
                            contacted_on=meeting.date + datetime.timedelta(days=days),
                            method="phone",
                            recorded_by=world.key_person_health,
                        )
                        t[("lead:meeting_to_feedback", TOTAL)] += 1
                    t[
                        ("discussed", "within_week" if days is not None and days <= 7 else "later")
                    ] += 1
        self.term = Term.objects.ensure_for_day(TERM_DAY)


class _Tables(HTMLParser):
    """Every table of a page as (caption, rows of cell texts)."""

    def __init__(self):
        super().__init__()
        self.tables, self._row, self._cell, self._caption = [], None, None, None

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self.tables.append(["", []])
        elif tag == "caption":
            self._caption = []
        elif tag == "tr":
            self._row = []
        elif tag in ("td", "th"):
            self._cell = []
            span = dict(attrs).get("colspan")
            self._span = int(span) if span else 1

    def handle_endtag(self, tag):
        if tag == "caption":
            self.tables[-1][0] = "".join(self._caption).strip()
            self._caption = None
        elif tag in ("td", "th") and self._cell is not None:
            self._row.extend(["".join(self._cell).strip()] * self._span)
            self._cell = None
        elif tag == "tr":
            self.tables[-1][1].append(self._row)

    def handle_data(self, data):
        if self._caption is not None:
            self._caption.append(data)
        elif self._cell is not None:
            self._cell.append(data)


def _csv_tables(text: str) -> list[tuple[str, list[list[str]]]]:
    tables, current = [], None
    for row in csv.reader(io.StringIO(text)):
        if not row or not any(row):
            current = None
        elif current is None:
            current = (row[0], [])
            tables.append(current)
        else:
            current[1].append(row)
    return tables


class Attacker:
    def __init__(self, region: Region):
        self.region = region
        self.teams = {team.pk: team for team in region.teams}
        self.variables = {}
        for t in self.teams:
            for group, g in GROUPS.items():
                for column in g.columns():
                    self.variables[(t, group, column)] = len(self.variables)
        self.eq, self.ub = [], []  # (coefficients {var: c}, bound)
        self.zeros_shown = False
        self.two_marks = False
        for t in self.teams:
            for group, g in GROUPS.items():
                for p in g.partitions:
                    coef = {self.variables[(t, group, c)]: 1 for c, _l in p.columns}
                    coef[self.variables[(t, group, TOTAL)]] = -1
                    self.eq.append((coef, 0))
        # What else a reader knows of every team: a concern area or reason marked, a case of a
        # lead time, is one of the new cases (or of the cases discussed).
        for t in self.teams:
            new = self.variables[(t, "new", TOTAL)]
            discussed = self.variables[(t, "discussed", TOTAL)]
            bounded = [(("area", c), new) for c in GROUPS["area"].columns() if c != TOTAL]
            bounded += [(("reason", c), new) for c in GROUPS["reason"].columns() if c != TOTAL]
            bounded += [(("lead:consent_to_meeting", TOTAL), new)]
            bounded += [(("lead:meeting_to_feedback", TOTAL), discussed)]
            for (group, column), limit in bounded:
                self.ub.append(({self.variables[(t, group, column)]: 1, limit: -1}, 0))
        self.facts = []  # (teams, group, column, published text)
        self.percentile_facts = []

    # --- reading what was published ----------------------------------------------------
    def read(self, tables, selection: list[int]):
        names = {team.name: [pk] for pk, team in self.teams.items()}
        for team in self.teams.values():
            muni = team.municipality
            names.setdefault(muni.name, [])
            names[muni.name] = [pk for pk, t in self.teams.items() if t.municipality_id == muni.pk]
        names[_("Total")] = selection
        by_title = {str(p.title): (g.key, p) for g, p in DISTRIBUTIONS}
        overview = {str(label): key for key, label in OVERVIEW}
        leads = {str(title): key for key, title in LEAD_TIMES}
        questions = {str(text): code for code, text in QUESTIONS}
        term_label = str(self.region.term)
        for title, rows in tables:
            if not rows:
                continue
            header, body = rows[0], rows[1:]
            if title == _("Overview"):
                for row in body:
                    teams = names.get(row[0])
                    for label, value in zip(header[1:], row[1:], strict=False):
                        if teams and label in overview:
                            self.facts.append((teams, overview[label], TOTAL, value))
            elif title in by_title:
                group, part = by_title[title]
                codes = {str(label): code for code, label in part.columns}
                # A row's total is the sum of the table's columns, whatever it is called.
                shown = [codes[label] for label in header[1:] if label in codes]
                for row in body:
                    teams = names.get(row[0])
                    for label, value in zip(header[1:], row[1:], strict=False):
                        if teams and label in codes:
                            self.facts.append((teams, group, codes[label], value))
                        elif teams and label in (str(part.total_label), _("Total")):
                            self.facts.append((teams, group, shown, value))
            elif title == _("Lead times in days"):
                for row in body:
                    if row[0] in leads:
                        key = leads[row[0]]
                        self.facts.append((selection, f"lead:{key}", TOTAL, row[3]))
                        if key == "meeting_to_feedback":
                            self.percentile_facts.append((selection, row[1], row[2], row[3]))
            elif title == _("The families' answers at follow-up"):
                for row in body:
                    if row[0] in questions:
                        group = f"answers:{questions[row[0]]}"
                        for i, value in enumerate(row[1:6]):
                            self.facts.append((selection, group, f"s{i + 1}", value))
                        self.facts.append((selection, group, TOTAL, row[6]))
            elif title in {str(t) for _k, t in _trends()} and term_label in header:
                key = dict((str(t), k) for k, t in _trends())[title]
                group = "discussed" if key == "discussed" else key
                self.facts.append((selection, group, TOTAL, body[0][header.index(term_label)]))

    # --- the linear programme ------------------------------------------------------------
    def _constraints(self):
        small_low = 1 if self.zeros_shown else 0
        eq, ub = list(self.eq), list(self.ub)
        for teams, group, column, text in self.facts:
            columns = column if isinstance(column, list) else [column]
            coef = {self.variables[(t, group, c)]: 1 for t in teams for c in columns}
            text = text.strip()
            if text.isdigit():
                eq.append((coef, int(text)))
            elif text.startswith("<"):
                ub.append((coef, int(text[1:]) - 1))
                ub.append(({k: -v for k, v in coef.items()}, -small_low))
            elif text == ".." and self.two_marks:
                # Beside "<5", ".." can only be a figure of 5 or more.
                ub.append(({k: -v for k, v in coef.items()}, -5))
        for teams, median, p90, cases in self.percentile_facts:
            if not (cases.isdigit() and median.replace(",", ".").replace(".", "").isdigit()):
                continue
            n = int(cases)
            within = {self.variables[(t, "discussed", "within_week")]: -1 for t in teams}
            for share, shown in ((0.9, p90), (0.5, median)):
                if float(shown.replace(",", ".")) <= 7:
                    ub.append((within, -math.ceil(share * n)))
        return eq, ub

    def bounds(self, coef: dict[int, int]) -> tuple[float, float]:
        eq, ub = self._constraints()
        n = len(self.variables)

        def matrix(rows):
            m = lil_matrix((len(rows), n))
            for i, (c, _b) in enumerate(rows):
                for j, v in c.items():
                    m[i, j] = v
            return m.tocsr(), np.array([b for _c, b in rows], dtype=float)

        a_eq, b_eq = matrix(eq)
        a_ub, b_ub = matrix(ub)
        objective = np.zeros(n)
        for j, v in coef.items():
            objective[j] = v
        low = linprog(objective, A_ub=a_ub, b_ub=b_ub, A_eq=a_eq, b_eq=b_eq, method="highs")
        high = linprog(-objective, A_ub=a_ub, b_ub=b_ub, A_eq=a_eq, b_eq=b_eq, method="highs")
        assert low.status == 0 and high.status == 0, "the published figures contradict each other"
        return low.fun, -high.fun


def _trends():
    from reports import tables

    return getattr(tables, "TRENDS", None) or __import__("reports.statistics").statistics.TRENDS


def _published(client, params) -> list:
    page = client.get(reverse("reports:term"), params)
    assert page.status_code == 200
    parser = _Tables()
    parser.feed(page.content.decode())
    exported = client.get(reverse("reports:export", args=["csv"]), params).content.decode()
    return [*parser.tables, *_csv_tables(exported)]


def test_no_count_from_one_to_four_can_be_worked_out(world, client):
    region = Region(world)
    attacker = Attacker(region)
    term = region.term.pk
    everyone = list(attacker.teams)
    munis = {}
    for team in region.teams:
        munis.setdefault(team.municipality, []).append(team.pk)

    # The regional process leader: no filter, each municipality, each team.
    client.force_login(world.process_leader)
    attacker.read(_published(client, {"term": term}), everyone)
    for muni, teams in munis.items():
        attacker.read(_published(client, {"term": term, "municipality": muni.pk}), teams)
    for team in region.teams:
        attacker.read(_published(client, {"term": term, "team": team.pk}), [team.pk])
    # A local process leader of two municipalities, and the coordinator of team A.
    client.force_login(region.local_leader)
    local = [
        pk for muni, teams in munis.items() if muni.name in ("Testköping", "Småby") for pk in teams
    ]
    attacker.read(_published(client, {"term": term}), local)
    client.force_login(world.coordinator)
    attacker.read(_published(client, {"term": term}), [world.team_a.pk])
    assert attacker.facts, "nothing was read: the page or the export changed shape"
    attacker.zeros_shown = any(text.strip() == "0" for *_rest, text in attacker.facts)
    attacker.two_marks = any(text.strip().startswith("<") for *_rest, text in attacker.facts)

    # Every true count from 1 to 4 of a team, a municipality, the region, the local scope.
    selections = [[pk] for pk in everyone] + list(munis.values()) + [everyone, local]
    revealed = []
    for teams in selections:
        for group, g in GROUPS.items():
            for column in g.columns():
                true = sum(region.true[t][(group, column)] for t in teams)
                if not 1 <= true <= 4:
                    continue
                coef = {attacker.variables[(t, group, column)]: 1 for t in teams}
                low, high = attacker.bounds(coef)
                low, high = math.ceil(low - 1e-6), math.floor(high + 1e-6)
                if low >= 1 or low == high:
                    names = "+".join(attacker.teams[t].name for t in teams)
                    revealed.append(f"{names} {group}/{column} = {true}: between {low} and {high}")
    assert not revealed, "\n".join(revealed)


def test_a_trend_point_is_the_same_cell_as_that_term_page_shows(world):
    """Earlier terms are protected only for the trends' groups (and those linked to them):
    the cells must be the very ones the whole cube gives."""
    from reports import disclosure, statistics, store
    from reports.tables import TRENDS

    region = Region(world)
    nodes = store._structure(world.team_a.municipality.region)
    stats = statistics.term_statistics(
        teams=type(world.team_a).objects.filter(pk__in=[t.pk for t in region.teams]),
        term=region.term,
    )
    figures = statistics.team_figures(stats)
    whole = disclosure.protect(disclosure.Cube(nodes, figures))
    groups = [key for key, _title in TRENDS]
    part = disclosure.protect(disclosure.Cube(nodes, figures, groups), groups=groups)
    for i in range(len(nodes)):
        for group in disclosure.linked(groups):
            for column in GROUPS[group].columns():
                assert whole.value([i], group, column) == part.value([i], group, column)
