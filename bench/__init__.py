"""Region-scale load data and the benchmark that measures the app against it (`make bench`).

No models: the generator writes the domain apps' own tables, and the benchmark only reads
them through the app's pages.
"""
