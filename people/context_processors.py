def role(request):
    """The role for the navigation, and the unread notification count; neither decides
    anything on its own."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    from supervision.models import Notification

    return {
        "user_role": user.role,
        "unread_notifications": Notification.objects.filter(user=user, read_at=None).count(),
    }
