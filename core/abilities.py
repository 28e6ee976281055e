"""Abilities (django-rules predicates of (user, obj)) where django-fsm-2 wants a
permission of (instance, user)."""

from __future__ import annotations

from collections.abc import Callable

import rules


def fsm_permission(predicate: rules.Predicate) -> Callable[[object, object], bool]:
    """The same named ability as a transition's `permission=`: django-fsm-2 calls
    permission(instance, user), a rule is tested as predicate(user, instance)."""

    def permission(instance, user) -> bool:
        return predicate.test(user, instance)

    permission.__name__ = predicate.name
    permission.__doc__ = f"The ability {predicate.name} as a transition permission."
    return permission
