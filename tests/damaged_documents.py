"""A project document damaged at random (hypothesis): one to three of its values, at any depth, replaced
by any JSON, for the tests that open damaged project files (a file must load or be refused in words)."""

from hypothesis import strategies as st

json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(10**20), 10**20)
    | st.floats(allow_nan=False)
    | st.text(max_size=5),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=12,
)


def _spots(node, prefix=()):
    yield prefix
    if isinstance(node, dict):
        for k, v in node.items():
            yield from _spots(v, (*prefix, k))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from _spots(v, (*prefix, i))


def damage(doc, data: st.DataObject):
    """``doc`` (changed in place) with one to three spots replaced by values drawn from ``data``."""
    spots = list(_spots(doc))[1:]
    for _ in range(data.draw(st.integers(1, 3))):
        path = data.draw(st.sampled_from(spots))
        parent = doc
        try:
            for step in path[:-1]:
                parent = parent[step]
            parent[path[-1]] = data.draw(json_values)
        except (KeyError, IndexError, TypeError):
            continue  # an earlier change replaced this spot's parent
    return doc
