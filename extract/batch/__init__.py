"""The batch machinery: a run over many files (run), local and Dask runners, the worker side (work),
the result cache and the progress display."""
