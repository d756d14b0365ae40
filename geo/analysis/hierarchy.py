"""The administrative hierarchy: a region's ancestors and children, by adcode."""

from __future__ import annotations

from geo.core.dataset import Dataset


def region_path(ds: Dataset, adcode: str) -> list[str]:
    """The adcodes from the province down to ``adcode`` (``[360000, 360700, 360702]``).

    Raises
    ------
    KeyError
        If ``adcode`` is not a region of the dataset.
    """
    table = ds.region_table
    if adcode not in table.index:
        raise KeyError(adcode)
    chain = [adcode]
    parent = table.at[adcode, "parent_adcode"]
    while isinstance(parent, str) and parent in table.index and parent not in chain:
        chain.insert(0, parent)
        parent = table.at[parent, "parent_adcode"]
    return chain
