"""Idempotent creates: every form that creates something is safe to submit twice.

A double click, the browser's "send again", or two tabs of the same page must create one row
and show it. The mechanism, one for the whole project:

1. The form carries a one-time token: mix `SubmitTokenMixin` into the form class (it adds a
   hidden `submit_token`, new on every page load, kept when the form comes back with errors;
   after `is_valid()` it is `form.submit_token`, and not in `cleaned_data`).
2. The view runs the create service through `once()`:

       obj, created = idempotency.once(
           user=request.user,
           token=form.submit_token,
           create=lambda: services.guardian_add(case=case, added_by=request.user, data=...),
       )

   `once()` inserts the token into `SubmitToken` (unique per user and token) in the same
   transaction as the create. The first submit creates; a second submit with the same token
   waits on the unique index until the first commits, then gets what the first created
   (`created` is False) and the view shows that instead of creating again. If the create
   fails (a ValidationError), the token rolls back with it, so the corrected form can be sent
   again.

Tokens stop forms from creating twice; they do not replace the invariants. What must be
unique across different forms and people (one child per number, one meeting per team and
day) is still a database constraint that the service turns into the form's message.
`python manage.py expire_submit_tokens` (daily) removes tokens older than a week.
"""

import uuid
from collections.abc import Callable

from django import forms
from django.apps import apps
from django.db import IntegrityError, models, transaction
from django.utils.translation import gettext_lazy as _

from .models import SubmitToken

FIELD = "submit_token"
EXPIRED_MESSAGE = _(
    "The form had expired before it was sent. Check what you entered and send it again."
)


class SubmitTokenMixin:
    """Adds the hidden one-time `submit_token` to a Form or ModelForm (put it first in the
    bases). A submit without a (valid) token is refused with a message at the top and the
    form comes back with a fresh token and everything typed."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields[FIELD] = forms.UUIDField(
            required=False, widget=forms.HiddenInput, label="", initial=uuid.uuid4
        )
        self._token_missing = False
        if self.is_bound:
            try:
                uuid.UUID(str(self.data.get(self.add_prefix(FIELD), "")))
            except ValueError:
                # Give the form that comes back a token of its own, so the next send works.
                self._token_missing = True
                self.data = self.data.copy()
                self.data[self.add_prefix(FIELD)] = str(uuid.uuid4())

    def clean(self):
        data = super().clean()
        self.submit_token = data.pop(FIELD, None)
        if self._token_missing or self.submit_token is None:
            self.add_error(None, forms.ValidationError(EXPIRED_MESSAGE, code="submit_token"))
        return data


def once[T: models.Model](
    *, user, token: uuid.UUID | str, create: Callable[[], T]
) -> tuple[T | None, bool]:
    """Run `create` at most once per (user, token); return (object, created).

    `create` returns the saved model instance it made (or found). A repeated token returns
    (the first submit's object, False); the object is None only if it was deleted since.
    """
    token = uuid.UUID(str(token))
    with transaction.atomic():
        try:
            with transaction.atomic():
                record = SubmitToken.objects.create(user=user, token=token)
        except IntegrityError:
            # The first submit has committed (PostgreSQL made this insert wait for it).
            return _created_by(SubmitToken.objects.get(user=user, token=token)), False
        obj = create()
        record.object_model = obj._meta.label
        record.object_pk = str(obj.pk)
        record.save(update_fields=["object_model", "object_pk"])
        return obj, True


def _created_by(record: SubmitToken) -> models.Model | None:
    if not record.object_model:
        return None
    model = apps.get_model(record.object_model)
    return model._default_manager.filter(pk=record.object_pk).first()
