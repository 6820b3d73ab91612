//! The tantivy index behind [`crate::search`]. Being written (issue 5).
