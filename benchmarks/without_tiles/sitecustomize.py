"""Benchmarks only: numkong as on a CPU without AMX tiles nor AVX-512 BF16/FP16 (an Ice Lake-class
Xeon), in every process started with this folder first on PYTHONPATH (the indexing workers too):

    PYTHONPATH=benchmarks/without_tiles:. python benchmarks/bench_vectors.py --name vectors_noamx
"""
import numkong

for capability in ("sapphireamx", "sapphire", "genoa"):
    numkong.disable_capability(capability)
