"""Reading notifications: a person's own, and of those only the ones about something
still in their scope.

Notifications stand below the apps whose records they are about, so those apps say
what their reader may still see: each registers a scope in its `AppConfig.ready()`
(cases registers "the case is still visible to the reader", 条例 第30条). A scope takes
the reader and their queryset and returns it narrowed."""

from __future__ import annotations

from collections.abc import Callable

from django.db.models import QuerySet

from people.models import User

from .models import Notification

Scope = Callable[[User, QuerySet[Notification]], QuerySet[Notification]]
_scopes: list[Scope] = []


def register_scope(scope: Scope) -> None:
    """Called once per app from `ready()`; registering the same function twice is a no-op."""
    if scope not in _scopes:
        _scopes.append(scope)


def notifications_for(*, user: User) -> QuerySet[Notification]:
    """A person's notifications about what is still in their scope; digests carry no case."""
    return in_scope(user=user, qs=Notification.objects.filter(user=user))


def in_scope(*, user: User, qs: QuerySet[Notification]) -> QuerySet[Notification]:
    """`qs` less the notifications about what `user` may not see (the registered scopes)."""
    for scope in _scopes:
        qs = scope(user, qs)
    return qs


def unread_count(*, user: User) -> int:
    return notifications_for(user=user).filter(read_at=None).count()
