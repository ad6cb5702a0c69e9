package io.corral.bench.load;

/** What a workload works with: the options, where it reports, its sessions, and the run's id (for node names). */
record LoadRun(LoadSettings settings, Measurement m, LoadSessions sessions, String runId) {
}
