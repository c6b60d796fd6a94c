"""Numbers as text for people: the one rule every page uses to write a value exactly.

shortest(x) is Python's repr (the shortest decimal that reads back as exactly ``x``) without a
trailing ".0". A fixed number of digits hides what a student needs to see: %g wrote 0.1015625 as
0.101562 and 0.3333333333 as 0.333333 (so two settings shared a download's file name), and
"448.0" / "got 5.0" read as if the value were not whole.
"""

from __future__ import annotations


def shortest(x: float) -> str:
    """``x`` as the shortest decimal that reads back as exactly ``x``, without trailing zeros.

    Example:
        >>> [shortest(v) for v in (448.0, 0.1015625, 1e40, 8.0, 1.7320508075688772, -0.0)]
        ['448', '0.1015625', '1e+40', '8', '1.7320508075688772', '-0']
    """
    text = repr(float(x))
    return text[:-2] if text.endswith(".0") else text
