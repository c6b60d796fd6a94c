"""Granularity as a 2-D layout: one row per scale, and the way back to the tensor's shape.

=============  ===========================================  ========================================
granularity    rows of the working view                     scale shape returned (x of shape 4x6)
=============  ===========================================  ========================================
tensor         1 row holding every value                    (1, 1)
channel        one row per index along ``axis``             axis=0: (4, 1); axis=1: (1, 6)
group          runs of ``block_size`` consecutive values    axis=1, block 4: (4, 2) (6 values ->
               along ``axis``; the last run is padded        2 groups, the second padded with 2 NaN)
               with NaN (ignored everywhere), then cropped
=============  ===========================================  ========================================

Block schemes use the group layout with their own block size.

Example:
    >>> lay = make_layout((4, 6), "group", axis=1, block_size=4)
    >>> lay.rows, lay.row_len, lay.scale_shape
    (8, 4, (4, 2))
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from lib.errors import QuantizeError

GRANULARITIES: tuple[str, ...] = ("tensor", "channel", "group")


@dataclass(frozen=True)
class Layout:
    """How a tensor of ``shape`` maps to a rows x row_len working view and back."""

    shape: tuple[int, ...]
    granularity: str
    axis: int | None  # normalised (non-negative) axis; None for tensor granularity
    block_size: int | None

    @property
    def moved_shape(self) -> tuple[int, ...]:
        """Shape after moving ``axis`` first (channel) or last (group)."""
        if self.axis is None:
            return self.shape
        rest = self.shape[: self.axis] + self.shape[self.axis + 1:]
        n = self.shape[self.axis]
        return (n, *rest) if self.granularity == "channel" else (*rest, n)

    @property
    def groups_per_line(self) -> int:
        """Groups along the axis (group layout only)."""
        assert self.axis is not None and self.block_size is not None
        return math.ceil(self.shape[self.axis] / self.block_size)

    @property
    def padding(self) -> int:
        """NaN values appended to each line along the axis (group layout only)."""
        if self.granularity != "group":
            return 0
        assert self.axis is not None and self.block_size is not None
        return self.groups_per_line * self.block_size - self.shape[self.axis]

    @property
    def rows(self) -> int:
        size = math.prod(self.shape)
        if self.granularity == "tensor":
            return 1
        if self.granularity == "channel":
            return self.shape[self.axis]  # type: ignore[index]
        return (size // self.shape[self.axis]) * self.groups_per_line  # type: ignore[index]

    @property
    def row_len(self) -> int:
        if self.granularity == "group":
            return self.block_size  # type: ignore[return-value]
        return math.prod(self.shape) // self.rows

    @property
    def scale_shape(self) -> tuple[int, ...]:
        """Shape of the scale array handed back: broadcastable against x for tensor/channel."""
        if self.granularity == "tensor":
            return (1,) * len(self.shape)
        shape = [1] * len(self.shape) if self.granularity == "channel" else list(self.shape)
        assert self.axis is not None
        shape[self.axis] = self.shape[self.axis] if self.granularity == "channel" else self.groups_per_line
        return tuple(shape)

    def to_rows(self, x: np.ndarray) -> np.ndarray:
        """The rows x row_len working view (a view when no move or padding is needed)."""
        if self.granularity == "tensor":
            return x.reshape(1, -1)
        if self.granularity == "channel":
            return np.moveaxis(x, self.axis, 0).reshape(self.rows, -1)  # type: ignore[arg-type]
        moved = np.moveaxis(x, self.axis, -1)  # type: ignore[arg-type]
        if self.padding:
            pad = [(0, 0)] * (moved.ndim - 1) + [(0, self.padding)]
            moved = np.pad(moved, pad, constant_values=np.nan)
        return moved.reshape(self.rows, self.row_len)

    def from_rows(self, rows2d: np.ndarray) -> np.ndarray:
        """Inverse of to_rows for a same-shaped array of results (padding cropped), C-contiguous."""
        if self.granularity == "tensor":
            return rows2d.reshape(self.shape)
        if self.granularity == "channel":
            moved = rows2d.reshape(self.moved_shape)
            return np.ascontiguousarray(np.moveaxis(moved, 0, self.axis))  # type: ignore[arg-type]
        padded_shape = (*self.moved_shape[:-1], self.groups_per_line * self.block_size)  # type: ignore[operator]
        moved = rows2d.reshape(padded_shape)[..., : self.shape[self.axis]]  # type: ignore[index]
        return np.ascontiguousarray(np.moveaxis(moved, -1, self.axis))  # type: ignore[arg-type]

    def scales_out(self, per_row: np.ndarray) -> np.ndarray:
        """Per-row values (scales, zero points) in the documented scale shape."""
        if self.granularity == "group":
            moved = per_row.reshape(*self.moved_shape[:-1], self.groups_per_line)
            return np.ascontiguousarray(np.moveaxis(moved, -1, self.axis))  # type: ignore[arg-type]
        return per_row.reshape(self.scale_shape)


def make_layout(shape: tuple[int, ...], granularity: str, axis: int, block_size: int | None) -> Layout:
    """Validate the settings against ``shape`` and build the Layout.

    Raises:
        QuantizeError: unknown granularity, axis out of range, missing or bad block size.
    """
    if granularity not in GRANULARITIES:
        raise QuantizeError("qlib.unknown_granularity", name=granularity, options=list(GRANULARITIES))
    if granularity == "tensor":
        return Layout(tuple(shape), granularity, None, None)
    ndim = len(shape)
    if isinstance(axis, bool) or not isinstance(axis, (int, np.integer)) or not -max(ndim, 1) <= axis < max(ndim, 1) or ndim == 0:
        raise QuantizeError("qlib.axis_out_of_range", axis=axis, ndim=ndim, shape=tuple(shape),
                            low=-max(ndim, 1), high=max(ndim, 1) - 1)
    axis = int(axis) % ndim
    if granularity == "group":
        if block_size is None:
            raise QuantizeError("qlib.block_size_needed")
        if isinstance(block_size, bool) or not isinstance(block_size, (int, np.integer)) or block_size < 1:
            raise QuantizeError("qlib.bad_block_size", block_size=block_size)
        return Layout(tuple(shape), granularity, axis, int(block_size))
    return Layout(tuple(shape), granularity, axis, None)
