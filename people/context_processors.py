def role(request):
    """The role for the navigation, and the unread notification count; neither decides
    anything on its own."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    from supervision.selectors import unread_count

    return {"user_role": user.role, "unread_notifications": unread_count(user=user)}
