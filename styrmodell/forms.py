"""Forms of the core pages; they parse input, services validate the rules."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .fields import NumberField
from .models import (
    BudgetYearStatus,
    EventKind,
    MandatePeriod,
    OrganisationUnit,
    Role,
    UnitKind,
    User,
)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class VersionedForm(forms.Form):
    """Carries the version of the object being edited (see versioning.py)."""

    version = forms.CharField(widget=forms.HiddenInput, required=False)

    def changes(self) -> dict:
        """The cleaned fields to save, without the version they are checked against."""
        data = dict(self.cleaned_data)
        data.pop("version", None)
        return data


class UnitForm(VersionedForm):
    name = forms.CharField(label=_("Namn"), max_length=160)
    short_name = forms.CharField(label=_("Förkortning"), max_length=20, required=False)
    kind = forms.ChoiceField(label=_("Typ"), choices=UnitKind.choices)
    parent = forms.ModelChoiceField(
        label=_("Hör till"), queryset=OrganisationUnit.objects.order_by("path"), required=False
    )
    description = forms.CharField(
        label=_("Beskrivning"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    organisation_number = forms.CharField(
        label=_("Organisationsnummer"), max_length=20, required=False
    )
    ownership_share = NumberField(
        label=_("Kommunens ägarandel (%)"),
        max_digits=5,
        decimal_places=2,
        required=False,
        min_value=0,
        max_value=100,
        help_text=_("För bolag och stiftelser som ingår i den sammanställda redovisningen."),
    )
    is_active = forms.BooleanField(label=_("Aktiv"), required=False, initial=True)

    def unit_fields(self) -> dict:
        return self.changes()


class AssignmentForm(forms.Form):
    user = forms.ModelChoiceField(label=_("Person"), queryset=User.objects.filter(is_active=True))
    role = forms.ModelChoiceField(label=_("Roll"), queryset=Role.objects.all())
    mandate_period = forms.ModelChoiceField(
        label=_("Mandatperiod"),
        queryset=MandatePeriod.objects.all(),
        required=False,
        help_text=_("För förtroendevalda: uppdraget upphör när mandatperioden slutar."),
    )
    valid_from = forms.DateField(label=_("Gäller från"), widget=DateInput())
    valid_to = forms.DateField(label=_("Gäller till"), widget=DateInput(), required=False)


class EndAssignmentForm(forms.Form):
    last_day = forms.DateField(label=_("Sista dag"), widget=DateInput())


class PersonForm(forms.Form):
    username = forms.RegexField(
        label=_("Användarnamn"),
        max_length=150,
        regex=r"^[a-z0-9._-]+$",
        error_messages={"invalid": _("Använd små bokstäver a–z, siffror, punkt och bindestreck.")},
    )
    first_name = forms.CharField(label=_("Förnamn"), max_length=150)
    last_name = forms.CharField(label=_("Efternamn"), max_length=150)
    email = forms.EmailField(label=_("E-post"), required=False)
    title = forms.CharField(label=_("Befattning"), max_length=120, required=False)
    external_id = forms.CharField(
        label=_("Anställnings-id"), max_length=255, required=False,
        help_text=_("Det id som kommunens inloggning (SSO) skickar för personen."),
    )

    def clean_external_id(self):
        return self.cleaned_data["external_id"].strip() or None

    def clean_username(self):
        username = self.cleaned_data["username"]
        if User.objects.filter(username=username).exists():
            raise forms.ValidationError(_("Användarnamnet är redan upptaget."))
        return username


class MandatePeriodForm(forms.ModelForm):
    class Meta:
        model = MandatePeriod
        fields = ["name", "starts_on", "ends_on"]
        widgets = {"starts_on": DateInput(), "ends_on": DateInput()}


class BudgetYearForm(forms.Form):
    year = forms.IntegerField(label=_("År"), min_value=2000, max_value=2100)
    mandate_period = forms.ModelChoiceField(
        label=_("Mandatperiod"), queryset=MandatePeriod.objects.all(), required=False
    )


class EventForm(VersionedForm):
    title = forms.CharField(label=_("Rubrik"), max_length=200)
    kind = forms.ChoiceField(label=_("Typ"), choices=EventKind.choices)
    date = forms.DateField(label=_("Datum"), widget=DateInput())
    unit = forms.ModelChoiceField(
        label=_("Organ/enhet"),
        queryset=OrganisationUnit.objects.order_by("path"),
        required=False,
        help_text=_("Lämna tomt om det gäller alla nämnder."),
    )
    description = forms.CharField(
        label=_("Beskrivning"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    responsible_roles = forms.ModelMultipleChoiceField(
        label=_("Ansvariga roller"),
        queryset=Role.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def event_fields(self) -> dict:
        return self.changes()


class MeetingForm(forms.Form):
    unit = forms.ModelChoiceField(
        label=_("Organ"),
        queryset=OrganisationUnit.objects.filter(
            kind__in=[UnitKind.KF, UnitKind.KS, UnitKind.KSAU, UnitKind.NAMND]
        ).order_by("path"),
    )
    date = forms.DateField(label=_("Datum"), widget=DateInput())


class CommentForm(forms.Form):
    body = forms.CharField(
        label=_("Ditt inlägg"), widget=forms.Textarea(attrs={"rows": 3}), max_length=5000
    )


class PersonEditForm(VersionedForm):
    first_name = forms.CharField(label=_("Förnamn"), max_length=150)
    last_name = forms.CharField(label=_("Efternamn"), max_length=150)
    email = forms.EmailField(label=_("E-post"), required=False)
    title = forms.CharField(label=_("Befattning"), max_length=120, required=False)
    external_id = forms.CharField(
        label=_("Anställnings-id"), max_length=255, required=False,
        help_text=_("Det id som kommunens inloggning (SSO) skickar för personen."),
    )
    is_active = forms.BooleanField(label=_("Aktiv"), required=False)

    def clean_external_id(self):
        # Blank is "none": many people may lack one, only real ids must be unique.
        return self.cleaned_data["external_id"].strip() or None


class MandatePeriodEditForm(VersionedForm):
    name = forms.CharField(label=_("Namn"), max_length=40)
    starts_on = forms.DateField(label=_("Från"), widget=DateInput())
    ends_on = forms.DateField(label=_("Till"), widget=DateInput())


class BudgetYearEditForm(VersionedForm):
    status = forms.ChoiceField(label=_("Status"), choices=BudgetYearStatus.choices)
    mandate_period = forms.ModelChoiceField(
        label=_("Mandatperiod"), queryset=MandatePeriod.objects.all(), required=False
    )
    notes = forms.CharField(label=_("Anteckningar"), widget=forms.Textarea(attrs={"rows": 3}),
                            required=False)


class CandidateSearchForm(forms.Form):
    """The appointment page's name search (a GET form): words of a name or a username."""

    q = forms.CharField(label=_("Sök person"), required=False,
                        widget=forms.TextInput(attrs={"autocomplete": "off"}))


class AppointmentForm(forms.Form):
    """Appoint a named person to answer for one object (styrmodell.appointments).

    The person is any existing one: whether they may be appointed is the service's refusal to
    make, in its words. The page writes the search's candidates as radio buttons itself.
    """

    person = forms.ModelChoiceField(label=_("Ansvarig"), queryset=User.objects.all(),
                                    widget=forms.RadioSelect, required=False)
    starts_on = forms.DateField(label=_("Gäller från"), widget=DateInput(), required=False)
    ends_on = forms.DateField(label=_("Gäller till och med"), widget=DateInput(), required=False)
    reason = forms.CharField(label=_("Skäl"), widget=forms.Textarea(attrs={"rows": 3}),
                             required=False,
                             help_text=_("Syns på uppgiften och i historiken, t.ex. "
                                         "”Leder arbetet med lokalförsörjningen”."))

    def chosen(self) -> User | None:
        """The person the form was sent with, kept chosen when it comes back with errors."""
        if not self.is_bound or "person" in self.errors:
            return None
        return self.cleaned_data.get("person")

    def fields_after_person(self) -> list[forms.BoundField]:
        return [field for field in self.visible_fields() if field.name != "person"]
