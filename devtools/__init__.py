"""Development and demo tooling: the demo data, the bulk generators the benchmarks use,
and the benchmark's bare page. Production settings do not install it."""
