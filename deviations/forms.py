"""Forms of a deviation case; each adds one thing (nobody edits another's text, P1, P2)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from styrmodell.fields import KronorField
from styrmodell.models import FollowUpPeriod

from .models import EffectAssessment

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class MeasureForm(forms.Form):
    description = forms.CharField(label=_("Åtgärd"), widget=forms.Textarea(attrs={"rows": 4}),
                                  help_text=_("Vad görs, och hur leder det mot ett nollresultat "
                                              "vid årets slut?"))
    expected_effect = KronorField(allow_negative=False, label=_("Förväntad effekt i år (kr)"))
    responsible = forms.CharField(label=_("Ansvarig"), max_length=120)


class DecisionForm(forms.Form):
    decided_on = forms.DateField(label=_("Sammanträdesdatum"), widget=DATE_WIDGET)
    paragraph = forms.CharField(label=_("Paragraf (§)"), max_length=20)
    text = forms.CharField(label=_("Nämndens beslut"), widget=forms.Textarea(attrs={"rows": 4}))


class DateForm(forms.Form):
    on = forms.DateField(label=_("Datum"), widget=DATE_WIDGET)


class OpinionForm(forms.Form):
    proposal = forms.CharField(label=_("Förslaget som bedöms leda till underskott"),
                               max_length=300)
    opinion = forms.CharField(label=_("Förvaltningschefens yttrande till protokollet"),
                              widget=forms.Textarea(attrs={"rows": 4}))
    meeting_on = forms.DateField(label=_("Sammanträdesdatum"), widget=DATE_WIDGET)


class EffectForm(forms.Form):
    period = forms.ChoiceField(label=_("Uppföljning"), choices=FollowUpPeriod.choices)
    assessment = forms.ChoiceField(label=_("Bedömning"), choices=EffectAssessment.choices,
                                   widget=forms.RadioSelect)
    expected_effect = KronorField(
        allow_negative=False, label=_("Samlad förväntad effekt av åtgärderna i år (kr)"))
    comment = forms.CharField(label=_("Kommentar"), widget=forms.Textarea(attrs={"rows": 4}))


class CloseForm(forms.Form):
    note = forms.CharField(label=_("Varför avslutas ärendet?"),
                           widget=forms.Textarea(attrs={"rows": 3}),
                           help_text=_("Till exempel: prognosen är åter inom 1 % av ramen, "
                                       "eller året är avslutat."))
