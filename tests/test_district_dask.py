"""The district engine partition by partition under Dask gives the one-call result."""

from __future__ import annotations

import pandas as pd

from elevator.district import simulate as S
from elevator.district.portfolio import validate
from elevator.district.sample import sample_portfolio


def test_dask_partitions_give_the_same_result_as_one_pandas_call():
    portfolio = validate(sample_portfolio(600, seed=9))
    frame = portfolio.frame
    width = int(frame["floors"].max())
    one = S._partition_frame(frame, "shanghai", "shapley", width)
    ddf = S.to_dask(frame, npartitions=4)
    assert ddf.npartitions == 4
    many = S.dask_stairwells(ddf, "shanghai", "shapley", width).compute(scheduler="sync")
    pd.testing.assert_frame_equal(one.reset_index(drop=True), many.reset_index(drop=True))
    assert many["problem"].isna().all()
    assert (many["q7"] > 0).any()
