//! Aktenwerk's measuring tools, kept out of the product: the benchmarks behind
//! `make bench-*` (one binary each in `src/bin/`) and the synthetic corpus
//! they index. Nothing here ships in the server.

pub mod corpus;
pub mod harness;

pub mod letters;
pub mod pdf;
pub mod process;

/// The load average of the last 1, 5 and 15 minutes, printed beside timings:
/// a figure measured while other work ran is not comparable.
pub fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|text| {
            text.split_whitespace()
                .take(3)
                .collect::<Vec<_>>()
                .join(" ")
        })
        .unwrap_or_else(|_| "unknown".into())
}
