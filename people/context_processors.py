def role(request):
    """The role for the navigation; it decides nothing on its own."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"user_role": user.role}
