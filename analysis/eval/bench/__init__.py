"""``analysis bench``: throughput, memory, warm-versus-cold and plain baselines on real corpora."""
from .measure import cpu_seconds, embedding_baseline, peak_rss_mb, pipeline_runs, stage_table
from .report import bench_json, format_bench, format_warm
from .run import bench_config, measure_baselines, run_bench
from .topics import topic_baseline, topic_quality
from .warm import WARM_CASES, warm_runs

__all__ = ["WARM_CASES", "bench_config", "bench_json", "cpu_seconds", "embedding_baseline", "format_bench",
           "format_warm", "measure_baselines", "peak_rss_mb", "pipeline_runs", "run_bench", "stage_table",
           "topic_baseline", "topic_quality", "warm_runs"]
