"""``analysis bench``: throughput, memory, warm-versus-cold and plain baselines on real corpora."""
from .corpora import BENCH_CORPORA, load_bench_corpus, write_corpus
from .run import bench_config, run_bench

__all__ = ["BENCH_CORPORA", "bench_config", "load_bench_corpus", "run_bench", "write_corpus"]
