"""The permission table's full content, pinned: who may do what to which kind of object (P1, P2).

A change to a grant must be made here as well, on purpose; reorganising the table in
styrmodell/permissions.py must leave every grant and every kind as it is.
"""

from styrmodell.models import Side
from styrmodell.permissions import (
    KINDS,
    OFFICIAL_ROLES,
    PERMISSION_TABLE,
    POLITICAL_ROLES,
    TABLE,
)

ALL_ROLES = {
    "kf_ledamot",
    "ks_ledamot",
    "ksau_ledamot",
    "budgetberedning",
    "namndordforande",
    "presidium",
    "namndledamot",
    "kommundirektor",
    "ekonomichef",
    "ekonom",
    "forvaltningschef",
    "kommunsekreterare",
    "namndsekreterare",
    "enhetschef",
    "medarbetare",
    "revisor",
    "administrator",
}

EXPECTED_GRANTS = {
    "budget_assumption": {
        "view": ALL_ROLES,
        "change": {"ekonom", "ekonomichef"},
    },
    "budget_year": {
        "view": ALL_ROLES,
        "add": {"administrator", "ekonom", "ekonomichef"},
        "change": {"administrator", "ekonom", "ekonomichef"},
    },
    "budgetunderlag": {
        "view": ALL_ROLES,
        "add": {"forvaltningschef", "kommundirektor"},
        "change": {"forvaltningschef", "kommundirektor"},
        "approve": {"namndordforande", "namndsekreterare"},
    },
    "calendar_event": {
        "view": ALL_ROLES,
        "add": {"administrator", "ekonom", "ekonomichef"},
        "change": {"administrator", "ekonom", "ekonomichef"},
        "delete": {"administrator", "ekonom", "ekonomichef"},
    },
    "company_accounts": {
        "view": ALL_ROLES,
        "change": {"ekonom", "ekonomichef"},
    },
    "deviation": {
        "view": ALL_ROLES,
        "change": {"ekonom", "ekonomichef", "kommundirektor"},
    },
    "deviation_decision": {
        "view": ALL_ROLES,
        "add": {"namndordforande", "namndsekreterare"},
    },
    "deviation_ksau": {
        "view": ALL_ROLES,
        "add": {"namndordforande"},
    },
    "deviation_measure": {
        "view": ALL_ROLES,
        "add": {"forvaltningschef", "kommundirektor"},
    },
    "deviation_report": {
        "view": ALL_ROLES,
        "add": {"kommunsekreterare"},
    },
    "dialogue": {
        "view": ALL_ROLES,
        "comment": {
            "budgetberedning",
            "ekonom",
            "ekonomichef",
            "enhetschef",
            "forvaltningschef",
            "kf_ledamot",
            "kommundirektor",
            "kommunsekreterare",
            "ks_ledamot",
            "ksau_ledamot",
            "medarbetare",
            "namndledamot",
            "namndordforande",
            "namndsekreterare",
            "presidium",
        },
    },
    "earmark_accounting": {
        "view": ALL_ROLES,
        "change": {"ekonom", "ekonomichef", "forvaltningschef"},
    },
    "enhetsmal": {
        "view": ALL_ROLES,
        "add": {"enhetschef", "forvaltningschef"},
        "change": {"enhetschef", "forvaltningschef"},
    },
    "financial_outcome": {
        "view": ALL_ROLES,
        "change": {"ekonom", "ekonomichef", "forvaltningschef"},
    },
    "fordelning": {
        "view": ALL_ROLES,
        "change": {"namndordforande", "namndsekreterare"},
    },
    "forecast": {
        "view": ALL_ROLES,
        "add": {"ekonom", "ekonomichef", "forvaltningschef"},
        "change": {"ekonom", "ekonomichef", "forvaltningschef"},
    },
    "frame": {
        "view": ALL_ROLES,
        "add": {"budgetberedning"},
        "approve": {"kommunsekreterare"},
    },
    "frame_priority": {
        "view": ALL_ROLES,
        "add": {"budgetberedning"},
        "change": {"budgetberedning"},
        "delete": {"budgetberedning"},
    },
    "investment": {
        "view": ALL_ROLES,
        "approve": {"kommunsekreterare"},
        "change": {"kommunsekreterare"},
    },
    "investment_followup": {
        "view": ALL_ROLES,
        "change": {"ekonom", "ekonomichef", "forvaltningschef"},
    },
    "investment_proposal": {
        "view": ALL_ROLES,
        "add": {"ekonom", "ekonomichef"},
        "change": {"ekonom", "ekonomichef"},
    },
    "kf_goal": {
        "view": ALL_ROLES,
        "add": {"budgetberedning", "kommunsekreterare", "ks_ledamot"},
        "change": {"budgetberedning", "kommunsekreterare", "ks_ledamot"},
        "approve": {"kommunsekreterare"},
    },
    "malbedomning": {
        "view": ALL_ROLES,
        "add": {"forvaltningschef", "kommundirektor"},
        "change": {"forvaltningschef", "kommundirektor"},
    },
    "mandate_period": {
        "view": ALL_ROLES,
        "add": {"administrator"},
        "change": {"administrator"},
    },
    "medarbetarplan": {
        "view": {"enhetschef", "forvaltningschef", "kommundirektor"},
        "add": {"enhetschef", "forvaltningschef"},
        "change": {"enhetschef", "forvaltningschef"},
    },
    "meeting": {
        "view": ALL_ROLES,
        "add": {"administrator", "ekonom", "ekonomichef", "namndsekreterare"},
        "change": {"administrator", "ekonom", "ekonomichef", "namndsekreterare"},
        "delete": {"administrator", "ekonom", "ekonomichef", "namndsekreterare"},
    },
    "meeting_presentation": {
        "view": ALL_ROLES,
        "add": {"forvaltningschef", "namndsekreterare"},
    },
    "namndmal": {
        "view": ALL_ROLES,
        "add": {
            "kommunsekreterare",
            "namndledamot",
            "namndordforande",
            "namndsekreterare",
            "presidium",
        },
        "change": {
            "kommunsekreterare",
            "namndledamot",
            "namndordforande",
            "namndsekreterare",
            "presidium",
        },
        "approve": {"kommunsekreterare", "namndordforande", "namndsekreterare"},
    },
    "kolada": {
        "view": ALL_ROLES,
        "change": {"ekonom", "ekonomichef"},
    },
    "nyckeltal": {
        "view": ALL_ROLES,
        "add": {"ekonom", "ekonomichef", "forvaltningschef", "kommundirektor"},
        "change": {"ekonom", "ekonomichef", "forvaltningschef", "kommundirektor"},
    },
    "organisation": {
        "view": ALL_ROLES,
        "add": {"administrator"},
        "change": {"administrator"},
        "delete": {"administrator"},
    },
    "outcome": {
        "view": ALL_ROLES,
        "add": {"ekonom", "ekonomichef"},
        "change": {"ekonom", "ekonomichef"},
    },
    "person": {
        "view": ALL_ROLES,
        "add": {"administrator"},
        "change": {"administrator"},
    },
    "pot": {
        "view": ALL_ROLES,
        "change": {"kommunsekreterare"},
    },
    "pot_application": {
        "view": ALL_ROLES,
        "add": {"forvaltningschef"},
        "change": {"forvaltningschef"},
    },
    "pot_decision": {
        "view": ALL_ROLES,
        "approve": {"kommunsekreterare"},
    },
    "pot_statement": {
        "view": ALL_ROLES,
        "add": {"ekonom", "ekonomichef"},
    },
    "report_approval": {
        "view": ALL_ROLES,
        "approve": {"namndordforande", "namndsekreterare"},
    },
    "report_compilation": {
        "view": ALL_ROLES,
        "change": {"ekonom", "ekonomichef"},
    },
    "report_decision": {
        "view": ALL_ROLES,
        "add": {"kommunsekreterare"},
        "approve": {"kommunsekreterare"},
    },
    "report_section": {
        "view": ALL_ROLES,
        "change": {"forvaltningschef", "kommundirektor"},
    },
    "role_assignment": {
        "view": ALL_ROLES,
        "add": {"administrator"},
        "change": {"administrator"},
    },
    "salary_reserve": {
        "view": ALL_ROLES,
        "change": {"kommunsekreterare"},
        "approve": {"kommunsekreterare"},
    },
    "tax_rate": {
        "view": ALL_ROLES,
        "add": {"budgetberedning", "kommunsekreterare"},
        "approve": {"kommunsekreterare"},
    },
    "uppdrag_report": {
        "view": ALL_ROLES,
        "change": {"forvaltningschef", "kommundirektor"},
    },
    "verksamhetsplan": {
        "view": ALL_ROLES,
        "add": {"forvaltningschef", "kommundirektor"},
        "change": {"forvaltningschef", "kommundirektor"},
        "approve": {"namndordforande", "namndsekreterare"},
    },
    "volume": {
        "view": ALL_ROLES,
        "add": {"ekonom", "ekonomichef", "forvaltningschef"},
        "change": {"ekonom", "ekonomichef", "forvaltningschef"},
        "delete": {"ekonom", "ekonomichef", "forvaltningschef"},
    },
    "year_end": {
        "view": ALL_ROLES,
        "approve": {"kommunsekreterare"},
    },
    "year_end_proposal": {
        "view": ALL_ROLES,
        "add": {"ekonom", "ekonomichef"},
    },
}

EXPECTED_KINDS = {
    "budget_assumption": (Side.OFFICIALS, True, False),
    "budget_year": (Side.NEITHER, True, False),
    "budgetunderlag": (Side.OFFICIALS, False, True),
    "calendar_event": (Side.NEITHER, True, False),
    "company_accounts": (Side.OFFICIALS, True, False),
    "deviation": (Side.NEITHER, True, False),
    "deviation_decision": (Side.POLITICS, True, False),
    "deviation_ksau": (Side.POLITICS, True, False),
    "deviation_measure": (Side.OFFICIALS, True, False),
    "deviation_report": (Side.POLITICS, True, False),
    "dialogue": (Side.NEITHER, False, False),
    "earmark_accounting": (Side.OFFICIALS, True, False),
    "enhetsmal": (Side.OFFICIALS, False, False),
    "financial_outcome": (Side.OFFICIALS, True, False),
    "fordelning": (Side.POLITICS, True, False),
    "forecast": (Side.OFFICIALS, True, False),
    "frame": (Side.POLITICS, True, False),
    "frame_priority": (Side.POLITICS, True, False),
    "investment": (Side.POLITICS, True, False),
    "investment_followup": (Side.OFFICIALS, True, False),
    "investment_proposal": (Side.OFFICIALS, True, False),
    "kf_goal": (Side.POLITICS, True, False),
    "malbedomning": (Side.OFFICIALS, False, False),
    "mandate_period": (Side.NEITHER, True, False),
    "medarbetarplan": (Side.OFFICIALS, False, False),
    "meeting": (Side.NEITHER, True, False),
    "meeting_presentation": (Side.OFFICIALS, True, False),
    "namndmal": (Side.POLITICS, False, True),
    "kolada": (Side.OFFICIALS, True, False),
    "nyckeltal": (Side.OFFICIALS, True, False),
    "organisation": (Side.NEITHER, True, False),
    "outcome": (Side.OFFICIALS, True, False),
    "person": (Side.NEITHER, True, False),
    "pot": (Side.POLITICS, True, False),
    "pot_application": (Side.OFFICIALS, True, False),
    "pot_decision": (Side.POLITICS, True, False),
    "pot_statement": (Side.OFFICIALS, True, False),
    "report_approval": (Side.POLITICS, True, False),
    "report_compilation": (Side.OFFICIALS, True, False),
    "report_decision": (Side.POLITICS, True, False),
    "report_section": (Side.OFFICIALS, False, True),
    "role_assignment": (Side.NEITHER, True, False),
    "salary_reserve": (Side.POLITICS, True, False),
    "tax_rate": (Side.POLITICS, True, False),
    "uppdrag_report": (Side.OFFICIALS, True, False),
    "verksamhetsplan": (Side.OFFICIALS, False, True),
    "volume": (Side.OFFICIALS, True, False),
    "year_end": (Side.POLITICS, True, False),
    "year_end_proposal": (Side.OFFICIALS, True, False),
}


def _grants(table) -> set[tuple[str, str, str]]:
    return {(kind, str(action), role)
            for kind, actions in table.items()
            for action, roles in actions.items()
            for role in roles}


def test_every_grant_of_the_table_is_the_pinned_one():
    assert _grants(PERMISSION_TABLE) == _grants(EXPECTED_GRANTS)


def test_the_table_names_no_action_without_roles():
    assert all(roles for actions in PERMISSION_TABLE.values() for roles in actions.values())


def test_every_kind_keeps_its_side_and_its_reach():
    kinds = {code: (kind.side, kind.readable_everywhere, kind.draft)
             for code, kind in KINDS.items()}
    assert kinds == EXPECTED_KINDS


def test_every_kind_is_named_by_its_own_code():
    assert all(kind.code == code for code, kind in KINDS.items())


def test_the_table_names_each_kind_once():
    codes = [kind.code for kind, _grants in TABLE]
    assert len(codes) == len(set(codes))


def test_the_sides_group_the_roles_as_before():
    assert POLITICAL_ROLES == {"kf_ledamot", "ks_ledamot", "ksau_ledamot", "budgetberedning",
                               "namndordforande", "presidium", "namndledamot"}
    assert OFFICIAL_ROLES == {"kommundirektor", "ekonomichef", "ekonom", "forvaltningschef",
                              "kommunsekreterare", "namndsekreterare", "enhetschef",
                              "medarbetare"}
