"""Benchmark the book: macro overhead, figures, the author loop, scale and page weight.

Every measurement runs in a throwaway copy of the book under a temporary directory, as a
separate process, several times; ``python -m scripts.bench`` prints medians and ratios against
a baseline measured in the same invocation (timings on a shared machine drift between
invocations, ratios much less). ``--json FILE`` also writes the results (``bench/results.json``
with ``--save``). ``make bench`` runs the whole thing; ``--quick`` is a smoke test.

1. overhead  (:mod:`.overhead`) a cold ``mkdocs build`` of the book vs the same pages with every
             number already substituted (the rendered Markdown, macros plugin removed, same
             theme and extensions)
2. figures   (:mod:`.figures`) a build with no data change imports no matplotlib; all figures
             with 2 vs 1 processes
3. serve     (:mod:`.serve`) ``mkdocs serve``: save a data edit, poll the page until the new
             number is served
4. scale     (:mod:`.scale`) synthetic data sets (real entries replicated and perturbed, unique ids)
5. weight    (:mod:`.weight`) bytes a browser fetches for each chapter page; no reference leaves
             the site

What the benchmark puts into a throwaway book (hooks, probes) lives in ``injected/`` as real
Python files, copied in by :func:`.common.inject`.
"""
