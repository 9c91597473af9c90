"""Django's admin for the core, with change history on every object."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from simple_history.admin import SimpleHistoryAdmin

from .models import (
    BudgetYear,
    CalendarEvent,
    DialogueComment,
    MandatePeriod,
    Notification,
    OrganisationUnit,
    Role,
    RoleAssignment,
    User,
)

admin.site.site_header = "Styrmodell – administration"
admin.site.site_title = "Styrmodell"


class RoleAssignmentInline(admin.TabularInline):
    model = RoleAssignment
    extra = 0
    autocomplete_fields = ["user"]
    fields = ["user", "role", "mandate_period", "valid_from", "valid_to"]


@admin.register(User)
class PersonAdmin(UserAdmin, SimpleHistoryAdmin):
    fieldsets = (*UserAdmin.fieldsets, ("Befattning", {"fields": ("title",)}))
    list_display = ["username", "first_name", "last_name", "title", "is_active"]


@admin.register(OrganisationUnit)
class OrganisationUnitAdmin(SimpleHistoryAdmin):
    list_display = ["name", "short_name", "kind", "parent", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name", "short_name"]
    inlines = [RoleAssignmentInline]


@admin.register(Role)
class RoleAdmin(SimpleHistoryAdmin):
    list_display = ["name", "code", "side", "scope", "records_decisions"]


@admin.register(RoleAssignment)
class RoleAssignmentAdmin(SimpleHistoryAdmin):
    list_display = ["user", "role", "unit", "mandate_period", "valid_from", "valid_to"]
    list_filter = ["role", "mandate_period"]
    search_fields = ["user__username", "user__last_name", "unit__name"]
    autocomplete_fields = ["user", "unit"]


@admin.register(MandatePeriod)
class MandatePeriodAdmin(SimpleHistoryAdmin):
    list_display = ["name", "starts_on", "ends_on"]


class CalendarEventInline(admin.TabularInline):
    model = CalendarEvent
    extra = 0
    fields = ["date", "kind", "title", "unit", "rule"]


@admin.register(BudgetYear)
class BudgetYearAdmin(SimpleHistoryAdmin):
    list_display = ["year", "status", "mandate_period"]
    inlines = [CalendarEventInline]


@admin.register(CalendarEvent)
class CalendarEventAdmin(SimpleHistoryAdmin):
    list_display = ["date", "title", "kind", "unit", "budget_year"]
    list_filter = ["kind", "budget_year"]
    filter_horizontal = ["responsible_roles"]


@admin.register(DialogueComment)
class DialogueCommentAdmin(admin.ModelAdmin):
    list_display = ["created_at", "author", "author_side", "content_type", "object_id"]
    readonly_fields = [
        "content_type",
        "object_id",
        "author",
        "author_side",
        "author_role",
        "body",
        "created_at",
    ]


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["created_at", "recipient", "subject", "read_at", "emailed_at"]
    search_fields = ["recipient__username", "subject", "key"]
    readonly_fields = ["recipient", "key", "subject", "body", "url", "created_at", "read_at",
                       "emailed_at"]
