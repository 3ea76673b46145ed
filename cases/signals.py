"""Signals that let other apps take part in a case's life without cases importing them."""

from django.dispatch import Signal

# Sent by retention (`cases.retention.case_purge`) inside the purge's transaction, with
# `case=`. Each receiver removes its own app's free text and files about the case, keeps the
# structured fields statistics need, and returns how many files it removed.
case_purging = Signal()
