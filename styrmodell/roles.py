"""The standard roles of the styrmodell, with the side they act for (P1) and their reach (P5)."""

from dataclasses import dataclass

from .models import Role, Scope, Side


@dataclass(frozen=True)
class RoleDefinition:
    code: str
    name: str
    side: str
    scope: str
    records_decisions: bool = False


STANDARD_ROLES: tuple[RoleDefinition, ...] = (
    RoleDefinition("kf_ledamot", "KF-ledamot", Side.POLITICS, Scope.KOMMUN),
    RoleDefinition("ks_ledamot", "KS-ledamot", Side.POLITICS, Scope.KOMMUN),
    RoleDefinition("ksau_ledamot", "KSAU-ledamot", Side.POLITICS, Scope.KOMMUN),
    RoleDefinition("budgetberedning", "Budgetberedning", Side.POLITICS, Scope.KOMMUN),
    RoleDefinition("namndordforande", "Ordförande", Side.POLITICS, Scope.NAMND),
    RoleDefinition("presidium", "Presidium", Side.POLITICS, Scope.NAMND),
    RoleDefinition("namndledamot", "Nämndledamot", Side.POLITICS, Scope.NAMND),
    RoleDefinition("kommundirektor", "Kommundirektör", Side.OFFICIALS, Scope.KOMMUN),
    RoleDefinition("ekonomichef", "Ekonomichef", Side.OFFICIALS, Scope.KOMMUN),
    RoleDefinition("ekonom", "Ekonom", Side.OFFICIALS, Scope.KOMMUN),
    RoleDefinition("forvaltningschef", "Förvaltningschef", Side.OFFICIALS, Scope.NAMND),
    RoleDefinition("kommunsekreterare", "Kommunsekreterare", Side.OFFICIALS, Scope.KOMMUN, True),
    RoleDefinition("namndsekreterare", "Nämndsekreterare", Side.OFFICIALS, Scope.NAMND, True),
    RoleDefinition("enhetschef", "Enhetschef", Side.OFFICIALS, Scope.UNIT),
    RoleDefinition("medarbetare", "Medarbetare", Side.OFFICIALS, Scope.UNIT),
    RoleDefinition("revisor", "Revisor", Side.NEITHER, Scope.KOMMUN),
    RoleDefinition("administrator", "Administratör", Side.NEITHER, Scope.KOMMUN),
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
