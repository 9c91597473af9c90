"""How each kind of object reads in the API: flat fields Power BI loads as columns, amounts in
kronor as decimal strings (exact, never float), codes beside their Swedish labels."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from budget.models import (
    Anslag,
    Driftbudgetram,
    Investeringsprojekt,
    Prognos,
    Prognosrad,
    Ramrad,
    UtfallManad,
    Volymmatt,
    Volymuppfoljning,
)
from deviations.models import Avvikelse
from goals.models import Malbedomning, Namndmal, Nyckeltal, NyckeltalVarde
from goals.selectors import latest_assessment
from reporting.models import Rapportavsnitt, Rapportperiod


class NamndFields(serializers.ModelSerializer):
    """The owning nämnd as its id and its name."""

    namnd_name = serializers.CharField(source="namnd.name", read_only=True)


class YearFields(serializers.ModelSerializer):
    year = serializers.IntegerField(source="budget_year.year", read_only=True)


class OutcomeMonthSerializer(NamndFields):
    class Meta:
        model = UtfallManad
        fields = ["id", "namnd", "namnd_name", "year", "month", "amount"]


class FrameLineSerializer(serializers.ModelSerializer):
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)

    class Meta:
        model = Ramrad
        fields = ["kind", "kind_label", "label", "amount", "earmarked"]


class FrameSerializer(NamndFields, YearFields):
    stage_label = serializers.CharField(source="get_stage_display", read_only=True)
    lines = FrameLineSerializer(many=True, read_only=True)

    class Meta:
        model = Driftbudgetram
        fields = ["id", "namnd", "namnd_name", "year", "stage", "stage_label", "total", "lines"]


class ForecastLineSerializer(serializers.ModelSerializer):
    verksamhet_code = serializers.CharField(source="verksamhet.code", read_only=True)
    verksamhet_name = serializers.CharField(source="verksamhet.name", read_only=True)

    class Meta:
        model = Prognosrad
        fields = ["verksamhet_code", "verksamhet_name", "amount"]


class ForecastSerializer(NamndFields, YearFields):
    period_label = serializers.CharField(source="get_period_display", read_only=True)
    lines = ForecastLineSerializer(many=True, read_only=True)

    class Meta:
        model = Prognos
        fields = ["id", "namnd", "namnd_name", "year", "period", "period_label", "total",
                  "comment", "written_at", "lines"]


class AssessmentSerializer(serializers.ModelSerializer):
    period_label = serializers.CharField(source="get_period_display", read_only=True)
    level_label = serializers.CharField(source="get_level_display", read_only=True)

    class Meta:
        model = Malbedomning
        fields = ["period", "period_label", "level", "level_label", "forecast", "conclusion",
                  "updated_at"]


class GoalSerializer(NamndFields, YearFields):
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    overgripande_mal_title = serializers.CharField(source="overgripande_mal.title",
                                                   read_only=True, default=None)
    assessments = AssessmentSerializer(many=True, read_only=True)
    latest_assessment = serializers.SerializerMethodField()

    class Meta:
        model = Namndmal
        fields = ["id", "namnd", "namnd_name", "year", "overgripande_mal",
                  "overgripande_mal_title", "title", "what", "how_measured", "target",
                  "by_when", "status", "status_label", "set_by_kf", "own_goal", "assessments",
                  "latest_assessment"]

    @extend_schema_field(AssessmentSerializer(allow_null=True))
    def get_latest_assessment(self, goal: Namndmal) -> dict | None:
        latest = latest_assessment(goal)
        return None if latest is None else AssessmentSerializer(latest).data


class DeviationCaseSerializer(NamndFields, YearFields):
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)

    class Meta:
        model = Avvikelse
        fields = ["id", "kind", "kind_label", "namnd", "namnd_name", "year", "period",
                  "status", "status_label", "opened_on", "budget_amount", "forecast_amount",
                  "project", "report_to_kf", "measures_due", "ksau_due", "decided_on",
                  "reported_to_ks_on", "ksau_informed_on", "namnd_informed_on",
                  "reported_to_kf_on", "closed_on"]


class KeyFigureSerializer(serializers.ModelSerializer):
    namnd_name = serializers.CharField(source="namnd.name", read_only=True, default=None)

    class Meta:
        model = Nyckeltal
        fields = ["id", "name", "unit_label", "good_direction", "source", "kolada_kpi",
                  "description", "namnd", "namnd_name"]


class KeyFigureValueSerializer(serializers.ModelSerializer):
    nyckeltal_name = serializers.CharField(source="nyckeltal.name", read_only=True)
    kolada_kpi = serializers.CharField(source="nyckeltal.kolada_kpi", read_only=True)
    unit_name = serializers.CharField(source="unit.name", read_only=True)

    class Meta:
        model = NyckeltalVarde
        fields = ["id", "nyckeltal", "nyckeltal_name", "kolada_kpi", "unit", "unit_name",
                  "period", "value", "source"]


class VolumeFollowUpSerializer(serializers.ModelSerializer):
    class Meta:
        model = Volymuppfoljning
        fields = ["period", "outcome", "forecast", "comment", "written_at"]


class VolumeSerializer(NamndFields, YearFields):
    followups = VolumeFollowUpSerializer(many=True, read_only=True)

    class Meta:
        model = Volymmatt
        fields = ["id", "namnd", "namnd_name", "year", "name", "unit", "budget",
                  "cost_per_unit", "followups"]


class AppropriationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Anslag
        fields = ["year", "amount", "income", "decided_on", "paragraph"]


class InvestmentProjectSerializer(NamndFields):
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    appropriations = AppropriationSerializer(many=True, read_only=True)

    class Meta:
        model = Investeringsprojekt
        fields = ["id", "namnd", "namnd_name", "objekt", "name", "kind", "status",
                  "status_label", "total_budget", "start_year", "end_year", "in_use_year",
                  "depreciation_years", "appropriations"]


class ReportSectionSerializer(NamndFields):
    status_label = serializers.CharField(source="get_status_display", read_only=True)

    class Meta:
        model = Rapportavsnitt
        fields = ["namnd", "namnd_name", "status", "status_label", "submitted_on",
                  "approved_on"]


class ReportSerializer(YearFields):
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    sections = ReportSectionSerializer(many=True, read_only=True)

    class Meta:
        model = Rapportperiod
        fields = ["id", "year", "code", "kind", "period", "title", "deadline", "status",
                  "status_label", "compiled_on", "ks_on", "kf_on", "sections"]
