"""A district's portfolio of stairwells, priced and checked at once (pandas, numpy).

    portfolio.py  read a CSV, XLSX or Parquet portfolio; refuse bad cells by row and column
    sample.py     a synthetic portfolio whose assumptions are written down
    engine.py     subsidies and shares for every stairwell at once, in integer fen, with the
                  one-stairwell engine's largest-remainder rounding and tie-break
    checks.py     the feasibility checklist over the site-fact columns
    scalar.py     the reference: the one-stairwell engines on every row
    simulate.py   runs (policy × scheme), stairwell and household frames, the comparison

Everything here is computation: results are DataFrames and Msg values, words come from
the catalogue in elevator.documents and the CLI.  pandas is imported only here and above.
"""
