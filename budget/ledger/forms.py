"""Forms of the outcome pages: the upload of a ledger file and the mapping of ledger objects."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from budget.models import ImportFormat, Verksamhet
from styrmodell import uploads
from styrmodell.forms import VersionedForm
from styrmodell.models import NAMND_LIKE_KINDS, OrganisationUnit


class OutcomeImportForm(forms.Form):
    file = forms.FileField(
        label=_("Fil från redovisningen"),
        help_text=_("SIE 4 (.se, .si), Excel (.xlsx) eller CSV med kolumnerna år, månad, konto, "
                    "kostnadsställe och belopp."),
    )
    format = forms.ChoiceField(
        label=_("Format"), required=False,
        choices=[("", _("Känn igen formatet själv")), *ImportFormat.choices],
        help_text=_("SIE känns igen på raderna som börjar med #, Excel på filändelsen .xlsx, "
                    "annars läses filen som CSV."),
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _("%(formats)s Högst %(size)s.") % {
            "formats": self.fields["file"].help_text,
            "size": uploads.size_label(uploads.max_upload_bytes())}

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > uploads.max_upload_bytes():
            raise forms.ValidationError(uploads.too_large_message())
        return upload


def _namnder():
    return (OrganisationUnit.objects.filter(kind__in=NAMND_LIKE_KINDS, is_active=True)
            .order_by("path"))


class VerksamhetChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Verksamhet) -> str:
        return f"{obj.namnd.short_name or obj.namnd.name}: {obj.code} {obj.name}"


class MappingForm(VersionedForm):
    dimension = forms.IntegerField(label=_("Dimension"), min_value=1, max_value=99, initial=1,
                                   help_text=_("1 är kostnadsställe/ansvar i SIE."))
    object_id = forms.CharField(label=_("Objekt i redovisningen"), max_length=40,
                                help_text=_("Objektets id i filen, t.ex. 410."))
    name = forms.CharField(label=_("Benämning"), max_length=100, required=False)
    namnd = forms.ModelChoiceField(label=_("Nämnd"), queryset=_namnder())
    verksamhet = VerksamhetChoiceField(
        label=_("Verksamhet"), required=False,
        queryset=Verksamhet.objects.select_related("namnd").order_by("namnd__path", "code"),
        help_text=_("Frivillig. Ska höra till nämnden."),
    )
