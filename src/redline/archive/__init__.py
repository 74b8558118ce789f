"""``redline archive``: "have we said this before?" against everything already published.

An archive is a folder (:mod:`redline.archive.store`) of RL102's units of many files,
their vectors and a FAISS index over them. :mod:`~redline.archive.build` brings it up to
date incrementally, :mod:`~redline.archive.check` checks new files against it (the
pre-publication check, the pre-commit hook), :mod:`~redline.archive.report` lists the
claims it makes in many places. Stages run in this process or on Ray
(:mod:`~redline.archive.engines`). User documentation: docs/archive.md.

Needs ``pip install 'redline[archive]'`` (pyarrow, faiss-cpu); Ray only for ``--engine ray``.
"""

from __future__ import annotations
