enum _Warmup {}
