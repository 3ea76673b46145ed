"""Journey: a key person registers a child with two guardians in joint custody, prints the
consent form in Arabic beside Swedish, registers both signatures and actualises the case;
a key person of another sector in the team sees it, one of another team gets 404; then the
consent is withdrawn and access ends."""

import re

from playwright.sync_api import expect


def _log_out(page):
    page.get_by_role("button", name="Logga ut").click()
    page.wait_for_url("**/login/")


def test_key_person_registers_a_child_after_consent(world, page, log_in, assert_accessible):
    log_in(world.key_person)
    page.get_by_role("navigation").get_by_role("link", name="Mina ärenden").click()
    assert_accessible()
    page.get_by_role("link", name="Starta ett ärende").click()
    assert_accessible()

    # The child.
    page.get_by_label("Förnamn").fill("Alva")
    page.get_by_label("Efternamn").fill("Ek")
    page.get_by_label("Personnummer eller samordningsnummer").fill("20140517-2386")
    page.get_by_label("Kön").select_option("girl")
    page.get_by_label("Förskola/skola").select_option(label="Solenskolan")
    page.get_by_label("Årskurs eller förskolegrupp").fill("åk 6")
    page.get_by_label("Språk som talas hemma").fill("arabiska, svenska")
    page.get_by_role("button", name="Fortsätt till vårdnadshavarna").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        re.compile(r"^Vårdnadshavare för Alva Ek( Ärende \d+)?$")
    )
    assert_accessible()

    # Two guardians in joint custody.
    for given in ("Amal", "Karim"):
        page.get_by_label("Förnamn").fill(given)
        page.get_by_label("Efternamn").fill("Ek")
        page.get_by_label("Relation till barnet").select_option("parent")
        page.get_by_label(re.compile(r"^Vårdnad:?$")).select_option("joint")
        page.get_by_label("Föredraget språk").select_option("ar")
        page.get_by_role("button", name="Lägg till vårdnadshavare").click()
        expect(page.get_by_role("cell", name=f"{given} Ek")).to_be_visible()
        assert_accessible()

    # Print the consent form in Arabic beside Swedish.
    page.get_by_role("link", name="Nästa steg: skriv ut samtyckesblanketten").click()
    assert_accessible()
    page.get_by_label("Familjens språk").select_option("ar")
    page.get_by_label("Socialtjänst").uncheck()
    with page.expect_download() as download_info:
        page.get_by_role("button", name="Ladda ner samtyckesblanketten (PDF)").click()
    pdf = download_info.value.path().read_bytes()
    assert pdf.startswith(b"%PDF")
    assert download_info.value.suggested_filename.endswith("-ar.pdf")

    # Register both signatures.
    page.get_by_role("link", name="Nästa steg: registrera det underskrivna samtycket").click()
    assert_accessible()
    page.get_by_label("Amal Ek").check()
    page.get_by_label("Karim Ek").check()
    # Alva is 12: her own signature is part of the consent (otherwise a warning to confirm).
    page.get_by_label("Barnet har också skrivit under").check()
    page.get_by_label("Skola").check()
    page.get_by_label("Hälso- och sjukvård").check()
    page.get_by_label("Språk på den underskrivna blanketten").select_option("ar")
    page.get_by_role("button", name="Registrera samtycke").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Aktualisera ärendet")
    assert_accessible()

    # Actualise to the team.
    page.get_by_label("HLT-team").select_option(label=world.team_a.name)
    page.get_by_label(re.compile(r"^Hälsa:?$")).check()
    page.get_by_label("Hälsa: psykisk hälsa, oro, ångest").check()
    page.get_by_label("Familjens egen beskrivning").fill("Alva sover dåligt och oroar sig.")
    page.get_by_label("Barnets egen röst").fill("Jag vill kunna sova.")
    page.get_by_role("button", name="Aktualisera").click()
    expect(page.get_by_text("Ärendet är aktualiserat i HLT-teamet.")).to_be_visible()
    expect(page.get_by_text("Aktualiserat", exact=True).first).to_be_visible()
    case_url = page.url
    assert re.search(r"/cases/\d+/$", case_url)
    assert_accessible()
    _log_out(page)
    assert_accessible()

    # A key person of another sector in the team sees the case ...
    log_in(world.key_person_health)
    page.goto(case_url)
    expect(page.get_by_role("heading", level=1)).to_have_text(
        re.compile(r"^Alva Ek( Ärende \d+)?$")
    )
    assert_accessible()
    _log_out(page)

    # ... one of another team does not know it exists.
    log_in(world.key_person_other_team)
    response = page.goto(case_url)
    assert response.status == 404
    assert_accessible()
    _log_out(page)

    # The family withdraws consent; the initiator records it.
    log_in(world.key_person)
    page.goto(case_url)
    page.get_by_role("link", name="Återkalla samtycke").click()
    assert_accessible()
    page.get_by_label("Vem som återkallade samtycket").fill("Amal Ek, per telefon")
    page.get_by_role("button", name="Återkalla samtycke").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        re.compile(r"^Samtycket har upphört( Ärende \d+)?$")
    )
    assert_accessible()
    _log_out(page)

    # Access has ended: only the notice remains.
    log_in(world.key_person_health)
    page.goto(case_url)
    expect(page.get_by_role("heading", level=1)).to_have_text(
        re.compile(r"^Samtycket har upphört( Ärende \d+)?$")
    )
    expect(page.get_by_text("Alva")).to_have_count(0)
    assert_accessible()
