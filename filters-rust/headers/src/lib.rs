//! `headers`: adds, replaces and removes request/response headers and copies host properties
//! into response headers (docs/filters/FILTERS.md "headers").

pub mod config;

#[cfg(target_arch = "wasm32")]
mod filter;
