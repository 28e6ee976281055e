from cases.models import Source, State


def test_walk_reaches_every_state(make_case):
    for state in State:
        major = state in (State.UNIT_REVIEW, State.LEADER_REVIEW)
        # only a case handed down can be returned to the superior (条例 第23条)
        above = {"source": Source.HOTLINE_12345, "superior_reference": "GD1"} if state == State.RETURNED_UP else {}
        case = make_case(state=state, is_major=major, **above)
        assert case.state == state
