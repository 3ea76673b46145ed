"""seed_demo: the demo region and its people; its login list names everyone one can log in as."""

import re
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from teams.models import User

pytestmark = pytest.mark.django_db

README = Path(__file__).resolve().parent.parent.parent / "README.md"
DEMO_EMAIL = re.compile(r"[a-z][a-z.]*@demo\.hlt\.example")


def test_the_login_list_names_every_demo_user_and_so_does_the_readme():
    out = StringIO()
    call_command("seed_demo", stdout=out)
    users = set(User.objects.filter(is_active=True).values_list("email", flat=True))
    printed = set(DEMO_EMAIL.findall(out.getvalue()))
    assert printed == users
    assert "bvc@demo.hlt.example" in printed
    demo_section = README.read_text().split("## Demo", 1)[1].split("\n## ", 1)[0]
    listed = set(DEMO_EMAIL.findall(demo_section.split("| log in as |", 1)[1]))
    assert users <= listed
