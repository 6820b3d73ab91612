//! Aktenwerk's measuring tools, kept out of the product: the benchmarks behind
//! `make bench-*` (one binary each in `src/bin/`) and the synthetic corpus
//! they index. Nothing here ships in the server.

pub mod corpus;
