//! `counter`: counts requests in shared data (CAS) and in a counter metric, and reports the count
//! in a response header (docs/filters/FILTERS.md "counter").

pub mod logic;

#[cfg(target_arch = "wasm32")]
mod filter;
