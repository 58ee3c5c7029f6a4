//! `probe`: the TCK's scenario-driven probe filter (docs/filters/PROBE.md). The pure parts
//! (call table, configuration, results JSON) compile and are tested on the host; the raw imports,
//! exports and the step runner are wasm-only (`runtime.rs`).

pub mod calls;
pub mod config;
pub mod results;

#[cfg(target_arch = "wasm32")]
mod runtime;
