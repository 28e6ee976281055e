"""What happens to a case, announced to the apps above cases, which connect in their
`AppConfig.ready()` (deadlines starts and stops clocks; supervision opens the review of
a 不满意). cases never imports them.

Receivers run inside the service's transaction and are sent with `send`, not
`send_robust`: what they write commits or rolls back with the step, and an error in one
undoes the step. Anything leaving the database goes out with `on_commit`."""

import django.dispatch

# A case was registered (cases.services.case_register). Arguments: case.
case_registered = django.dispatch.Signal()

# A case took a lifecycle step (a django-fsm-2 transition, cases.services). Arguments:
# case, name (the transition's method name, e.g. "accept"), actor.
case_stepped = django.dispatch.Signal()

# Something happened to a case that is not a lifecycle step but starts or stops clocks
# (an objection filed, a 复函 sent to the superior, a hearing). Arguments: case, event
# (a deadlines.clocks.Event value, as a string), at (datetime or None: now), actor,
# details (dict or None). deadlines connects it to its on_case_event.
case_event = django.dispatch.Signal()
