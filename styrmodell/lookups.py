"""The objects an address names, or 404: a unit that is a nämnd where a nämnd is meant."""

from __future__ import annotations

from django.shortcuts import get_object_or_404

from .models import NAMND_LIKE_KINDS, OrganisationUnit


def namnd_or_404(namnd_id: int) -> OrganisationUnit:
    """A nämnd or KS; any other unit (a company, a förvaltning) is not what the address means."""
    return get_object_or_404(OrganisationUnit, pk=namnd_id, kind__in=NAMND_LIKE_KINDS)
