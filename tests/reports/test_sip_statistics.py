"""The SIP figures of the term statistics, for a hand-built data set on top of the one in
test_term_statistics (VT 2026), each worked out by hand in the comments."""

import datetime
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from cases.models import Case
from meetings.models import AgendaItem
from reports import tables
from reports.disclosure import HIDDEN_MARK as HIDDEN
from reports.measures import LEAD_TIMES
from sip.models import (
    FamilyFeedback,
    FollowUp,
    Goal,
    GoalEvaluation,
    Intervention,
    Plan,
    SipMeeting,
)
from sip.questionnaire import QUESTIONS

from .test_term_statistics import _stats, data  # noqa: F401 (the fixture is used by name)

pytestmark = pytest.mark.django_db

D = datetime.date.fromisoformat


@pytest.fixture
def sip_data(world, data):  # noqa: F811
    """Team A: c1 (discussed 17 Feb), c2 (17 Mar), c4 (14 Apr), and c3 from HT 2025, never
    discussed. Team B: six cases discussed 12 May."""
    c3, c1, c2, c4 = Case.objects.filter(team=world.team_a).order_by("actualised_at")
    team_b = list(Case.objects.filter(team=world.team_b).order_by("pk"))
    by = world.key_person_health
    org = {"school": world.school, "health": world.health, "social": world.social}

    def feedback(case, day):
        item = AgendaItem.objects.get(case=case)
        FamilyFeedback.objects.create(
            agenda_item=item, case=case, contacted_on=D(day), method="phone", recorded_by=by
        )

    def sip_meeting(case, day):
        return SipMeeting.objects.create(
            case=case, date=D(day), starts_at=datetime.time(9), place="Rum 1", created_by=by
        )

    def plan(case, *, version=1, state="final", previous=None, interventions=()):
        p = Plan.objects.create(
            case=case, version=version, state=state, previous=previous, created_by=by
        )
        for kind, sector, starts, ends in interventions:
            Intervention.objects.create(
                plan=p,
                kind=kind,
                what="Stöd",
                organisation=org[sector],
                person=by,
                starts_on=D(starts),
                ends_on=D(ends),
            )
        return p

    def follow_up(p, day, results, answers, decision="continue"):
        done = FollowUp.objects.create(
            plan=p, held_on=D(day), family_answers=answers, decision=decision, recorded_by=by
        )
        for result in results:
            goal = Goal.objects.create(plan=p, text="Mål")
            GoalEvaluation.objects.create(follow_up=done, goal=goal, result=result)
        return done

    # Feedback: c1 after 3 days, c2 after 13 (late), c4 never (late); team B: five after
    # 3 days and one after 7 (still within the week).
    feedback(c1, "2026-02-20")
    feedback(c2, "2026-03-30")
    for case in team_b[:5]:
        feedback(case, "2026-05-15")
    feedback(team_b[5], "2026-05-19")

    # SIP meetings: c1 14 days and c2 21 days after their HLT meeting, five of team B's
    # cases 14 days after; c3's meeting was in HT 2025 and counts neither here nor as a
    # lead time (c3 was never discussed).
    sip_meeting(c1, "2026-03-03")
    sip_meeting(c2, "2026-04-07")
    for case in team_b[:5]:
        sip_meeting(case, "2026-05-26")
    sip_meeting(c3, "2025-11-01")

    # Plans. c1 was revised: only version 2's interventions count.
    c1_v1 = plan(
        c1,
        interventions=[
            ("school_adaptations", "school", "2026-03-03", "2026-06-30"),
            ("parent_support", "social", "2026-03-03", "2026-05-01"),
        ],
    )
    c1_v2 = plan(
        c1,
        version=2,
        previous=c1_v1,
        interventions=[
            ("school_adaptations", "school", "2026-03-03", "2026-06-30"),
            ("treatment", "health", "2026-04-01", "2026-12-31"),
        ],
    )
    # c2: one intervention in the term, one that ended before it began.
    c2_plan = plan(
        c2,
        interventions=[
            ("family_talks", "social", "2026-04-07", "2026-09-30"),
            ("other", "school", "2025-09-01", "2025-12-31"),
        ],
    )
    # c4: a draft counts for nothing.
    draft = [("parent_support", "school", "2026-04-20", "2026-08-01")]
    plan(c4, state="draft", interventions=draft)
    b_plans = [
        plan(case, interventions=[("school_adaptations", "school", "2026-05-26", "2026-12-18")])
        for case in team_b[:5]
    ]

    # Follow-ups in the term: c1 (goals reached and partly), c2 (not reached, case closed),
    # and the five of team B (one goal reached each). "influence" is never answered.
    follow_up(
        c1_v2,
        "2026-06-02",
        ["reached", "partly"],
        {"listened": 5, "understood": 4, "together": 5, "helped": 5},
    )
    follow_up(
        c2_plan,
        "2026-06-10",
        ["not_reached"],
        {"listened": 2, "understood": 4, "together": 5, "helped": 5},
        decision="close",
    )
    for p, together in zip(b_plans, [4, 4, 5, 5, 5], strict=True):
        follow_up(
            p,
            "2026-06-16",
            ["reached"],
            {"listened": 5, "understood": 4, "together": together, "helped": 5},
        )
    # A follow-up in HT 2026 is outside the term.
    follow_up(b_plans[0], "2026-09-01", ["not_reached"], {"listened": 1})
    return data


def test_the_sip_figures_match_the_hand_count(world, sip_data):
    stats = _stats(world, sip_data)
    a, b = world.team_a.pk, world.team_b.pk
    assert stats.overview[a]["sip_meetings"] == 2 and stats.overview[a]["follow_ups"] == 2
    assert stats.overview[b]["sip_meetings"] == 5 and stats.overview[b]["follow_ups"] == 5
    by = {d.key: d for d in stats.distributions}
    assert by["feedback"].by_team[a] == [1, 2]  # within a week, later or never
    assert by["feedback"].by_team[b] == [6, 0]
    # parent support, family talks, school adaptations, treatment, other
    assert by["intervention_kind"].by_team[a] == [0, 1, 1, 1, 0]
    assert by["intervention_kind"].by_team[b] == [0, 0, 5, 0, 0]
    assert by["intervention_sector"].by_team[a] == [1, 1, 1]  # health, school, social
    assert by["intervention_sector"].by_team[b] == [0, 5, 0]
    assert by["goals"].by_team[a] == [1, 1, 1]  # reached, partly, not reached
    assert by["goals"].by_team[b] == [5, 0, 0]
    # Feedback after 3, 13, and 3, 3, 3, 3, 3, 7 days: sorted 3×6, 7, 13; the 90th
    # percentile by nearest rank is the ⌈0.9 × 8⌉ = 8th of 8.
    assert stats.lead_times["meeting_to_feedback"] == (3.0, 13.0, 8)
    # HLT → SIP meeting: 14, 21 and 14 five times: median 14, 90th percentile the
    # ⌈0.9 × 7⌉ = 7th of 7.
    assert stats.lead_times["meeting_to_sip"] == (14.0, 21.0, 7)
    answers = {q.code: q.counts for q in stats.answers}
    assert answers["listened"] == [0, 1, 0, 0, 6]
    assert answers["understood"] == [0, 0, 0, 7, 0]
    assert answers["together"] == [0, 0, 0, 2, 5]
    assert answers["helped"] == [0, 0, 0, 0, 7]
    assert answers["influence"] == [0, 0, 0, 0, 0]


def _selection(world, term, team=None):
    from reports import store

    published = store.published(region=world.team_a.municipality.region, term=term)
    nodes = [published.node("team", team.pk)] if team else [0]
    return tables.Selection(published, nodes, term)


def test_the_answers_hide_small_counts_and_the_means_that_would_reveal_them(world, sip_data):
    rows = {row.question: row for row in tables.answers_rows(_selection(world, sip_data))}
    listened, understood, together, helped, influence = rows.values()
    # listened: 0, 1, 0, 0, 6. The 1 is hidden, and the 6 with it (7 − 6 would tell).
    assert listened.cells == [HIDDEN] * 5 and listened.total == 7
    assert listened.mean == HIDDEN  # 7 answers with mean 4.6 would give the 1 and the 6
    assert understood.total == 7 and understood.mean == HIDDEN  # its zeros are hidden
    assert helped.total == 7
    assert influence.total == HIDDEN and influence.mean_shown == HIDDEN


def test_the_feedback_share_is_hidden_when_a_count_behind_it_is_small(world, sip_data):
    sel = _selection(world, sip_data)
    # Two families heard back late: hidden, and so is the 7 on time, or 9 − 7 would tell.
    assert sel.value("discussed", "later") == HIDDEN
    assert sel.value("discussed", "within_week") == HIDDEN
    assert sel.value("discussed") == 9
    assert tables.feedback_share(sel) is None
    # Team B alone: six of six within the week, but the 0 late is hidden, so no share.
    assert tables.feedback_share(_selection(world, sip_data, world.team_b)) is None


def test_lead_times_with_fewer_than_five_cases_show_only_the_hidden_count(world, sip_data):
    rows = {r.key: r for r in tables.lead_time_rows(_selection(world, sip_data, world.team_a))}
    to_sip = rows["meeting_to_sip"]
    assert to_sip.median is None and to_sip.p90 is None and to_sip.cases == HIDDEN  # 2 cases


def test_a_lead_time_is_not_shown_beside_a_hidden_feedback_count(world, sip_data):
    # Team B: six cases heard back, all within a week, none late (a hidden 0). A 90th
    # percentile of 7 days would tell that at least ⌈0.9 × 6⌉ = 6 heard back in time.
    rows = {r.key: r for r in tables.lead_time_rows(_selection(world, sip_data, world.team_b))}
    assert rows["meeting_to_feedback"].median is None
    # The region's (team A's 2 and team B's 6): the feedback table's cells behind it are
    # hidden, so its percentiles are not shown either.
    region = {r.key: r for r in tables.lead_time_rows(_selection(world, sip_data))}
    assert region["meeting_to_feedback"].median is None


def test_the_page_and_exports_carry_the_sip_figures_suppressed(world, sip_data, client):
    client.force_login(world.process_leader)
    params = {"term": sip_data.pk}
    page = client.get(reverse("reports:term"), params).content.decode()
    assert "answers-heading" in page and "lead-heading" in page
    assert 'id="trend-sip_meetings"' in page
    xlsx = client.get(reverse("reports:export", args=["xlsx"]), params)
    rows = list(load_workbook(io.BytesIO(xlsx.content)).active.iter_rows(values_only=True))
    by_title = {row[0]: row for row in rows if row and row[0]}
    # The page is in Swedish, as is the test's active language.
    assert by_title[str(LEAD_TIMES[2][1])][1:4] == (14, 21, 7)
    assert by_title[str(QUESTIONS[1][1])][6] == 7
    # Every count is suppressed; days and means are not counts.
    lead_titles = {str(title) for _key, title in LEAD_TIMES}
    questions = {str(text) for _code, text in QUESTIONS}
    counts = []
    for row in rows:
        if row and row[0] in lead_titles:
            counts.append(row[3])
        elif row and row[0] in questions:
            counts.extend(row[1:7])
        else:
            counts.extend(row)
    assert [v for v in counts if isinstance(v, int) and 0 <= v <= 4] == []
    assert HIDDEN in counts


def test_the_sip_figures_add_a_fixed_number_of_queries(
    world, sip_data, django_assert_max_num_queries
):
    with django_assert_max_num_queries(9):
        _stats(world, sip_data)


def test_trends_over_terms_match_the_hand_count(world, sip_data):
    from reports import statistics

    terms = statistics.terms_back(sip_data, 2)  # HT 2025, VT 2026
    trends = statistics.trends(team_ids=[world.team_a.pk, world.team_b.pk], terms=terms)
    assert [n for _t, n in trends["new"]] == [1, 9]  # c3 in HT 2025
    assert [n for _t, n in trends["discussed"]] == [0, 9]
    assert [n for _t, n in trends["sip_meetings"]] == [1, 7]  # c3's in November 2025


def test_the_statistics_page_stays_within_twenty_queries(
    world, sip_data, client, django_assert_max_num_queries
):
    client.force_login(world.process_leader)
    url = reverse("reports:term")
    client.get(url, {"term": sip_data.pk})  # the first view creates the six terms' rows
    with django_assert_max_num_queries(20):
        assert client.get(url, {"term": sip_data.pk}).status_code == 200


def test_a_change_shows_at_once_on_every_view(world, sip_data, client):
    client.force_login(world.process_leader)
    url = reverse("reports:term")
    client.get(url, {"term": sip_data.pk})
    before = _selection(world, sip_data).value("sip_meetings")
    with __import__("django.test", fromlist=["x"]).TestCase.captureOnCommitCallbacks(execute=True):
        SipMeeting.objects.create(
            case=Case.objects.filter(team=world.team_b).last(),
            date=D("2026-06-01"),
            starts_at=datetime.time(9),
            place="Rum 1",
            created_by=world.key_person_health,
        )
    # The team's stored figures were dropped; the region and the team agree on the new ones.
    after = _selection(world, sip_data)
    assert (before, after.value("sip_meetings")) == (7, 8)


@pytest.mark.parametrize(
    "change",
    [
        lambda c: (setattr(c.child, "sex", "boy"), c.child.save()),
        lambda c: AgendaItem.objects.get(case=c).save(),
        lambda c: FamilyFeedback.objects.filter(case=c).first().delete(),
        lambda c: GoalEvaluation.objects.filter(follow_up__plan__case=c).first().delete(),
        lambda c: Intervention.objects.filter(plan__case=c).first().save(),
    ],
    ids=["child", "agenda item", "feedback", "goal evaluation", "intervention"],
)
def test_every_counted_change_drops_the_team_figures_after_the_commit(
    world, sip_data, change, django_capture_on_commit_callbacks
):
    from reports.models import TeamTermFigures

    _selection(world, sip_data)  # computes and stores both teams' figures
    # c1: discussed, heard back, a plan with interventions and a follow-up with goals.
    case = Case.objects.filter(team=world.team_a, sip_plans__follow_ups__goals__isnull=False)[0]
    with django_capture_on_commit_callbacks(execute=True):
        change(case)
    assert not TeamTermFigures.objects.filter(team=world.team_a).exists()
    assert TeamTermFigures.objects.filter(team=world.team_b).exists()
