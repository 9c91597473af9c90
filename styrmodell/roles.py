"""The standard roles of the styrmodell, with the side they act for (P1) and their reach (P5)."""

from dataclasses import dataclass

from .models import Role, Scope, Side

# The role codes (Role.code), named once: code names a role by its constant, never by a string.
KF_LEDAMOT = "kf_ledamot"
KS_LEDAMOT = "ks_ledamot"
KSAU_LEDAMOT = "ksau_ledamot"
BUDGETBEREDNING = "budgetberedning"
NAMNDORDFORANDE = "namndordforande"
PRESIDIUM = "presidium"
NAMNDLEDAMOT = "namndledamot"
KOMMUNDIREKTOR = "kommundirektor"
EKONOMICHEF = "ekonomichef"
EKONOM = "ekonom"
FORVALTNINGSCHEF = "forvaltningschef"
KOMMUNSEKRETERARE = "kommunsekreterare"
NAMNDSEKRETERARE = "namndsekreterare"
ENHETSCHEF = "enhetschef"
MEDARBETARE = "medarbetare"
REVISOR = "revisor"
ADMINISTRATOR = "administrator"


@dataclass(frozen=True)
class RoleDefinition:
    code: str
    name: str
    side: str
    scope: str
    records_decisions: bool = False


STANDARD_ROLES: tuple[RoleDefinition, ...] = (
    RoleDefinition(KF_LEDAMOT, "KF-ledamot", Side.POLITICS, Scope.KOMMUN),
    RoleDefinition(KS_LEDAMOT, "KS-ledamot", Side.POLITICS, Scope.KOMMUN),
    RoleDefinition(KSAU_LEDAMOT, "KSAU-ledamot", Side.POLITICS, Scope.KOMMUN),
    RoleDefinition(BUDGETBEREDNING, "Budgetberedning", Side.POLITICS, Scope.KOMMUN),
    RoleDefinition(NAMNDORDFORANDE, "Ordförande", Side.POLITICS, Scope.NAMND),
    RoleDefinition(PRESIDIUM, "Presidium", Side.POLITICS, Scope.NAMND),
    RoleDefinition(NAMNDLEDAMOT, "Nämndledamot", Side.POLITICS, Scope.NAMND),
    RoleDefinition(KOMMUNDIREKTOR, "Kommundirektör", Side.OFFICIALS, Scope.KOMMUN),
    RoleDefinition(EKONOMICHEF, "Ekonomichef", Side.OFFICIALS, Scope.KOMMUN),
    RoleDefinition(EKONOM, "Ekonom", Side.OFFICIALS, Scope.KOMMUN),
    RoleDefinition(FORVALTNINGSCHEF, "Förvaltningschef", Side.OFFICIALS, Scope.NAMND),
    RoleDefinition(KOMMUNSEKRETERARE, "Kommunsekreterare", Side.OFFICIALS, Scope.KOMMUN, True),
    RoleDefinition(NAMNDSEKRETERARE, "Nämndsekreterare", Side.OFFICIALS, Scope.NAMND, True),
    RoleDefinition(ENHETSCHEF, "Enhetschef", Side.OFFICIALS, Scope.UNIT),
    RoleDefinition(MEDARBETARE, "Medarbetare", Side.OFFICIALS, Scope.UNIT),
    RoleDefinition(REVISOR, "Revisor", Side.NEITHER, Scope.KOMMUN),
    RoleDefinition(ADMINISTRATOR, "Administratör", Side.NEITHER, Scope.KOMMUN),
)

ROLE_CODES = frozenset(role.code for role in STANDARD_ROLES)


def ensure_standard_roles() -> None:
    """Create the standard roles that are missing; an administrator's edits are kept."""
    existing = set(Role.objects.values_list("code", flat=True))
    for position, definition in enumerate(STANDARD_ROLES):
        if definition.code in existing:
            continue
        Role.objects.create(
            code=definition.code,
            name=definition.name,
            side=definition.side,
            scope=definition.scope,
            records_decisions=definition.records_decisions,
            sort_order=position,
        )
