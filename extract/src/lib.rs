//! Text out of stored files (issue 5). Runs inside a child process with
//! resource limits; see `sandbox`.
