from cases.models import State


def test_walk_reaches_every_state(make_case):
    for state in State:
        major = state in (State.UNIT_REVIEW, State.LEADER_REVIEW)
        case = make_case(state=state, is_major=major)
        assert case.state == state
