"""Dialogue threads (P3): the golden zone where politicians and officials talk about an object.

Any model registers itself as a host with the permission kind it is read under; its objects
must expose `owner_unit` (the unit whose material it is) and may carry
`GenericRelation("styrmodell.DialogueComment")` so a thread goes when its object goes.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from .errors import DomainError
from .models import DialogueComment
from .permissions import Action, active_assignments, can, user_side

MAX_COMMENT_LENGTH = 5000


@dataclass(frozen=True)
class DialogueHost:
    model: type[models.Model]
    kind: str


_HOSTS: dict[str, DialogueHost] = {}


def host_key(model: type[models.Model]) -> str:
    return f"{model._meta.app_label}.{model._meta.model_name}"


def register_host(model: type[models.Model], *, kind: str) -> None:
    _HOSTS[host_key(model)] = DialogueHost(model=model, kind=kind)


def host_for(key: str) -> DialogueHost | None:
    return _HOSTS.get(key)


def anchor(subject: models.Model) -> str:
    """The id of the subject's thread on its page: "dialog", or the subject's own
    `dialogue_anchor` where one page shows several threads (a nämndmål and its assessments)."""
    return getattr(subject, "dialogue_anchor", "dialog")


def is_nested(subject: models.Model) -> bool:
    """A thread shown inside its subject's part of another object's page."""
    return anchor(subject) != "dialog"


def thread(subject: models.Model) -> QuerySet[DialogueComment]:
    return DialogueComment.objects.filter(
        content_type=ContentType.objects.get_for_model(subject), object_id=subject.pk
    ).select_related("author")


def may_read(user, subject: models.Model) -> bool:
    host = _HOSTS[host_key(type(subject))]
    unit = subject.owner_unit
    return can(user, Action.VIEW, host.kind, unit) and can(user, Action.VIEW, "dialogue", unit)


def may_write(user, subject: models.Model) -> bool:
    return may_read(user, subject) and can(user, Action.COMMENT, "dialogue", subject.owner_unit)


@transaction.atomic
def post_comment(*, author, subject: models.Model, body: str) -> DialogueComment:
    """Add an entry to the subject's thread; the author's side and role are kept with it."""
    text = (body or "").strip()
    if not text:
        raise DomainError(_("Skriv något innan du skickar inlägget."), field="body")
    if len(text) > MAX_COMMENT_LENGTH:
        too_long = _("Inlägget får vara högst %(max)s tecken.") % {"max": MAX_COMMENT_LENGTH}
        raise DomainError(too_long, field="body")
    assignments = active_assignments(author)
    role_names = sorted({assignment.role.name for assignment in assignments})
    return DialogueComment.objects.create(
        content_type=ContentType.objects.get_for_model(subject),
        object_id=subject.pk,
        author=author,
        author_side=user_side(author),
        author_role=", ".join(role_names)[:80],
        body=text,
    )
