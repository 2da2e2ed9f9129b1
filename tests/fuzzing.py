"""Hypothesis pieces shared by the front ends' property tests: hostile JSON values, and where to put them."""

from __future__ import annotations

from hypothesis import strategies as st


def hostile_json(samples: list[str], *, floats: bool = False):
    """Any JSON value, small, with these hand-picked hostile strings among the leaves."""
    leaves = [
        st.none(),
        st.booleans(),
        st.integers(min_value=-(2**70), max_value=2**70),
        *([st.floats(allow_nan=False)] if floats else []),
        st.text(max_size=20),
        st.sampled_from(samples),
    ]
    return st.recursive(
        st.one_of(*leaves),
        lambda children: st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=8), children, max_size=3),
        max_leaves=8,
    )


def payload_paths(node, prefix=()):
    """Every place in a payload a value could be swapped, the payload's own fields first."""
    if isinstance(node, dict):
        for key, value in node.items():
            yield (*prefix, key)
            yield from payload_paths(value, (*prefix, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield (*prefix, index)
            yield from payload_paths(value, (*prefix, index))
