"""Forms of the outcome pages: the upload of a ledger file and the mapping of ledger objects."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from budget.models import ImportFormat, MappingKind, Verksamhet
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
    def label_from_instance(self, obj: Verksamhet) -> str:  # also used without a field
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


class RulesForm(forms.Form):
    """Where the ledger keeps the ansvar and the verksamhet, and where money without an object
    goes."""

    ansvar_dimension = forms.IntegerField(
        label=_("Dimension för ansvar eller kostnadsställe"), min_value=1, max_value=999,
        help_text=_("Den #DIM i SIE-filen som talar om vilken nämnd pengarna hör till; "
                    "oftast 1."))
    verksamhet_dimension = forms.IntegerField(
        label=_("Dimension för verksamhet"), min_value=1, max_value=999, required=False,
        help_text=_("Frivillig. Objekten i den dimensionen är nämndens verksamhetskoder, så att "
                    "utfallet också följs per verksamhet."))
    unplaced_namnd = forms.ModelChoiceField(
        label=_("Belopp utan ansvar förs till"), queryset=_namnder(), required=False,
        empty_label=_("Ingen – filen läses inte in"),
        help_text=_("Belopp på resultatkonton som inte har något objekt i ansvarsdimensionen."))


class Choices:
    """The nämnder and verksamheter of a table's selects, read once for all its rows (a table
    of a thousand rows would otherwise read them a thousand times)."""

    def __init__(self) -> None:
        self.namnder = {str(unit.pk): unit for unit in _namnder()}
        self.verksamheter = {str(item.pk): item for item in Verksamhet.objects
                             .select_related("namnd").order_by("namnd__path", "code")}
        self.namnd_choices = [("", "---------")] + [
            (pk, str(unit)) for pk, unit in self.namnder.items()]
        self.verksamhet_choices = [("", "---------")] + [
            (pk, VerksamhetChoiceField.label_from_instance(None, item))
            for pk, item in self.verksamheter.items()]


class _RowForm(forms.Form):
    """A row whose nämnd (and verksamhet) select takes its options from a shared `Choices`."""

    def __init__(self, *args, choices: Choices | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.shared = choices or Choices()
        self.fields["namnd"].choices = self.shared.namnd_choices
        if "verksamhet" in self.fields:
            self.fields["verksamhet"].choices = self.shared.verksamhet_choices

    def clean_namnd(self):
        return self.shared.namnder.get(self.cleaned_data.get("namnd") or "")

    def clean_verksamhet(self):
        return self.shared.verksamheter.get(self.cleaned_data.get("verksamhet") or "")


class MappingRowForm(_RowForm):
    """One row of the mapping table; each input is named with its column and row for screen
    readers, since the table shows the labels only once, as column headers."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        number = self.prefix.rsplit("-", 1)[-1] if self.prefix else ""
        row = int(number) + 1 if number.isdigit() else ""
        for field in self.fields.values():
            field.widget.attrs["aria-label"] = f"{field.label}, rad {row}"

    kind = forms.ChoiceField(label=_("Regel"), choices=MappingKind.choices,
                             initial=MappingKind.EXACT)
    object_id = forms.CharField(label=_("Objekt"), max_length=40, required=False)
    object_to = forms.CharField(label=_("Till och med"), max_length=40, required=False)
    name = forms.CharField(label=_("Benämning"), max_length=100, required=False)
    namnd = forms.ChoiceField(label=_("Nämnd"), required=False)
    verksamhet = forms.ChoiceField(label=_("Verksamhet"), required=False)


class _MappingTableFormSet(forms.BaseFormSet):
    def add_fields(self, form, index) -> None:
        super().add_fields(form, index)
        if "DELETE" in form.fields:
            form.fields["DELETE"].widget.attrs["aria-label"] = f"Ta bort rad {(index or 0) + 1}"


MappingTableFormSet = forms.formset_factory(MappingRowForm, formset=_MappingTableFormSet,
                                            extra=3, can_delete=True, max_num=20_000,
                                            absolute_max=20_000)


class UnmappedRowForm(_RowForm):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        object_id = (self.initial or {}).get("object_id", "")
        self.fields["namnd"].widget.attrs["aria-label"] = f"Nämnd för objekt {object_id}"
        self.fields["namnd"].choices = [("", _("– välj nämnd –")), *self.shared.namnd_choices[1:]]

    object_id = forms.CharField(widget=forms.HiddenInput, max_length=40)
    name = forms.CharField(widget=forms.HiddenInput, max_length=100, required=False)
    namnd = forms.ChoiceField(label=_("Nämnd"), required=False)


UnmappedFormSet = forms.formset_factory(UnmappedRowForm, extra=0, max_num=20_000,
                                        absolute_max=20_000)


class MappingFileForm(forms.Form):
    file = forms.FileField(
        label=_("Tabell med kopplingar"),
        help_text=_("Excel (.xlsx) eller CSV med kolumnerna Regel, Objekt, Till och med, "
                    "Benämning, Nämnd och Verksamhet, som i exporten. Tabellen ersätter alla "
                    "kopplingar."))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > uploads.max_upload_bytes():
            raise forms.ValidationError(uploads.too_large_message())
        return upload
