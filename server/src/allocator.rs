//! The memory allocator of the `aktenwerk` binary, chosen once, before the
//! first allocation.
//!
//! glibc's malloc gives every thread that allocates its own arena (up to
//! eight per core) and hands freed memory back to the system only from the
//! top of each arena. Aktenwerk's work comes in bursts on many threads (the
//! runtime's workers, the blocking pool for files, password hashing,
//! previews and the index writer), so after a day's post the server kept
//! hundreds of MiB of freed memory in dozens of half-empty arenas. mimalloc
//! frees per page and returns unused pages to the system after a short
//! delay, so the server shrinks back when a burst is over (`make
//! bench-memory` prints both, measured in the same run).
//!
//! `AKTENWERK_ALLOCATOR=system` keeps the C library's malloc: the
//! benchmark's baseline, and a way out should mimalloc ever misbehave on an
//! installation. It is read with `getenv` at the first allocation rather
//! than in [`crate::config::Config`], because the allocator must be fixed
//! before anything allocates, the configuration included; reading it
//! through `std::env` would allocate and recurse.

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicU8, Ordering};

use mimalloc::MiMalloc;

/// The allocator named by `AKTENWERK_ALLOCATOR` (mimalloc unless it says
/// `system`).
pub struct Chosen;

const UNDECIDED: u8 = 0;
const MIMALLOC: u8 = 1;
const SYSTEM: u8 = 2;

static CHOICE: AtomicU8 = AtomicU8::new(UNDECIDED);

/// The choice, made on first use and never changed afterwards: memory must
/// always go back to the allocator it came from. Two threads deciding at
/// the same time read the same environment and decide alike.
#[inline]
fn choice() -> u8 {
    match CHOICE.load(Ordering::Relaxed) {
        UNDECIDED => {
            let decided = decide();
            CHOICE.store(decided, Ordering::Relaxed);
            decided
        }
        decided => decided,
    }
}

fn decide() -> u8 {
    let choice = from_environment();
    if choice == MIMALLOC {
        tune_mimalloc();
    }
    choice
}

/// mimalloc's number for the option `purge_delay` (its place in
/// `mi_option_e` in the `mimalloc.h` of mimalloc 3.3.2, bundled by
/// libmimalloc-sys 0.1.49, which is pinned for this reason); the crate
/// names only older options.
const MI_OPTION_PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

/// Hand freed memory back at once instead of after mimalloc's default
/// delay of one second: that timer only runs when the thread that freed
/// allocates again, and after a burst most threads sleep, so the memory
/// stayed resident. A default only: `MIMALLOC_PURGE_DELAY`, read
/// when the process loads, still wins.
///
/// And no transparent huge pages for this process (inherited by the
/// extraction children): with them the kernel backs memory in 2 MiB
/// pieces, and a few live bytes keep a whole piece resident after a purge.
/// `make bench-memory`, steady RSS after a day's post: 153 MiB with
/// mimalloc's defaults, 104 MiB with immediate purging, 57 MiB without
/// huge pages as well (glibc: 361 MiB).
fn tune_mimalloc() {
    // SAFETY: setting an option's default touches only mimalloc's static
    // option table and allocates nothing.
    unsafe { libmimalloc_sys::mi_option_set_default(MI_OPTION_PURGE_DELAY, 0) };
    // SAFETY: PR_SET_THP_DISABLE takes plain integers and changes only
    // this process's memory policy; failure (old kernels) changes nothing.
    #[cfg(target_os = "linux")]
    unsafe {
        libc::prctl(libc::PR_SET_THP_DISABLE, 1, 0, 0, 0);
    }
}

fn from_environment() -> u8 {
    // SAFETY: the name is a NUL-terminated literal; the returned pointer,
    // if not null, points to a NUL-terminated string owned by the
    // environment, read before anything in this process could change it.
    let value = unsafe { libc::getenv(c"AKTENWERK_ALLOCATOR".as_ptr()) };
    if value.is_null() {
        return from_setting(None);
    }
    // SAFETY: see above; `getenv` returned a valid C string.
    let value = unsafe { std::ffi::CStr::from_ptr(value) };
    from_setting(Some(value.to_bytes()))
}

/// `system` (in any case) keeps the C library's malloc; anything else,
/// or nothing, means mimalloc.
fn from_setting(value: Option<&[u8]>) -> u8 {
    match value {
        Some(value) if value.trim_ascii().eq_ignore_ascii_case(b"system") => SYSTEM,
        _ => MIMALLOC,
    }
}

/// The allocator in use, for the start-up log line.
pub fn name() -> &'static str {
    match choice() {
        SYSTEM => "system (glibc malloc)",
        _ => "mimalloc",
    }
}

// SAFETY: every call is forwarded to exactly one of two correct allocators,
// the same one for the whole life of the process, so memory is always
// freed or resized by the allocator that handed it out.
unsafe impl GlobalAlloc for Chosen {
    #[inline]
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        match choice() {
            SYSTEM => System.alloc(layout),
            _ => MiMalloc.alloc(layout),
        }
    }

    #[inline]
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        match choice() {
            SYSTEM => System.alloc_zeroed(layout),
            _ => MiMalloc.alloc_zeroed(layout),
        }
    }

    #[inline]
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        match choice() {
            SYSTEM => System.dealloc(ptr, layout),
            _ => MiMalloc.dealloc(ptr, layout),
        }
    }

    #[inline]
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        match choice() {
            SYSTEM => System.realloc(ptr, layout, new_size),
            _ => MiMalloc.realloc(ptr, layout, new_size),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The number we use names `purge_delay`: in this test binary
    /// (mimalloc is not its allocator, nobody tuned it) it holds the
    /// default of 1000 ms from mimalloc 3's `options.c`, and tuning sets it
    /// to 0.
    #[test]
    fn the_option_number_names_the_purge_delay() {
        if std::env::var_os("MIMALLOC_PURGE_DELAY").is_some() {
            return;
        }
        // SAFETY: reading options only touches mimalloc's option table.
        let before = unsafe { libmimalloc_sys::mi_option_get(MI_OPTION_PURGE_DELAY) };
        tune_mimalloc();
        // SAFETY: as above.
        let after = unsafe { libmimalloc_sys::mi_option_get(MI_OPTION_PURGE_DELAY) };
        assert_eq!((before, after), (1000, 0));
    }

    #[test]
    fn only_system_keeps_the_c_library_malloc() {
        assert_eq!(from_setting(None), MIMALLOC);
        assert_eq!(from_setting(Some(b"")), MIMALLOC);
        assert_eq!(from_setting(Some(b"mimalloc")), MIMALLOC);
        assert_eq!(from_setting(Some(b"System ")), SYSTEM);
        assert_eq!(from_setting(Some(b"system")), SYSTEM);
    }
}
