//! The frame around every page: header, navigation, footer, and the simple
//! pages (start, 404, sections still being built).

pub mod layout;
pub mod lazy;
pub mod pages;
pub mod sections;
#[cfg(feature = "ssr")]
pub mod security;
