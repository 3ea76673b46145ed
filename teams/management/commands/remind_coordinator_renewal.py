from django.core.mail import send_mail
from django.core.management.base import BaseCommand
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from teams.models import CoordinatorAppointment, KeyPerson, Team, Term


class Command(BaseCommand):
    help = (
        "At the start of a term: remind every team without a coordinator for the term to renew "
        "the appointment or hand it over (daily; a team is reminded until it has one)."
    )

    def handle(self, *args, **options):
        today = timezone.localdate()
        term = Term.objects.for_day(today)  # named in the e-mail; a read
        appointed = CoordinatorAppointment.objects.filter(
            term__in=Term.objects.of_day(today)
        ).values("team_id")
        teams = Team.objects.filter(is_active=True).exclude(pk__in=appointed)
        seats = (
            KeyPerson.objects.active_on(today).filter(team__in=teams).select_related("user", "team")
        )
        recipients: dict[int, list[str]] = {}
        for seat in seats:
            recipients.setdefault(seat.team_id, []).append(seat.user.email)
        sent = 0
        for team in teams:
            if not recipients.get(team.pk):
                continue
            with override("sv"):
                send_mail(
                    _("HLT: appoint a coordinator for %(term)s") % {"term": term},
                    _(
                        "%(team)s has no coordinator for %(term)s. The managers appoint one of "
                        "the team's key persons: renew the appointment or hand it over."
                    )
                    % {"team": team, "term": term},
                    None,
                    recipients[team.pk],
                )
            sent += 1
        self.stdout.write(f"Reminded {sent} teams without a coordinator for {term}.")
