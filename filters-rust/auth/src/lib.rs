//! `auth`: lets a request through only when a header carries one of the configured values
//! (docs/filters/FILTERS.md "auth").

pub mod logic;

#[cfg(target_arch = "wasm32")]
mod filter;
