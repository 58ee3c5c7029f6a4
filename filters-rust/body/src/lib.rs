//! `body`: replaces, appends, prepends or upper-cases the request and/or response body
//! (docs/filters/FILTERS.md "body").

pub mod logic;

#[cfg(target_arch = "wasm32")]
mod filter;
