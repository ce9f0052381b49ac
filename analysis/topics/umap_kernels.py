"""UMAP with its compiled kernels kept on disk between processes.

UMAP's numerical kernels (nearest neighbours, fuzzy simplicial set, layout)
are numba functions compiled on first use in every new process: about 9 s on
a 2-core machine before a 100-point map is drawn, the longest silent wait of
a small run. numba can keep compiled kernels on disk (next to their module in
``__pycache__``, or in ``$NUMBA_CACHE_DIR``) and load them in later
processes, which UMAP switches on for only a few of its kernels.
:func:`umap_class` imports UMAP once and switches numba's disk cache on for
every module-level kernel of ``umap`` and ``pynndescent``
(``Dispatcher.enable_caching``, what ``@njit(cache=True)`` does). The
machine code is the same, so results do not change (tested); numba
recompiles when the umap package changes, and a kernel it cannot cache (no
writable cache folder) is compiled in memory as before.
"""
from __future__ import annotations

import sys
from functools import lru_cache

#: Packages whose numba kernels are cached on disk.
PACKAGES = ("umap", "pynndescent")


@lru_cache(maxsize=1)
def umap_class():
    """``umap.UMAP``, with numba's disk cache on for the kernels of :data:`PACKAGES`."""
    from umap import UMAP

    enable_kernel_cache()
    return UMAP


def enable_kernel_cache() -> int:
    """Switch numba's disk cache on for the loaded kernels of :data:`PACKAGES`; return how many."""
    done = 0
    for name, module in list(sys.modules.items()):
        if module is None or name.split(".")[0] not in PACKAGES:
            continue
        for kernel in list(vars(module).values()):
            if callable(getattr(kernel, "enable_caching", None)) and hasattr(kernel, "py_func"):
                try:
                    kernel.enable_caching()
                except RuntimeError:  # numba found no writable cache folder: compile in memory
                    continue
                done += 1
    return done
