//! `org-product`: the Org/Product mapper (docs/filters/FILTERS.md "org-product"). Calls an
//! httpbin-like service with the request's headers and maps headers it echoes back.

pub mod logic;

#[cfg(target_arch = "wasm32")]
mod filter;
